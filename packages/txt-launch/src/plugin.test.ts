import { describe, expect, it } from "vitest";
import { NotImplementedError } from "@novakit/kernel-core";
import { txtLaunchPlugin } from "./index.js";

describe("@novakit/txt-launch manifest", () => {
  it("declares itself and refuses to register until it is built", () => {
    expect(txtLaunchPlugin.name).toBe("@novakit/txt-launch");
    expect(txtLaunchPlugin.kind).toBe("launch");
    expect(() => txtLaunchPlugin.register({} as never)).toThrow(NotImplementedError);
  });
});
