import { describe, expect, it } from "vitest";
import { NotImplementedError } from "@novakit/kernel-core";
import { archAarch64Plugin } from "./index.js";

describe("@novakit/arch-aarch64 manifest", () => {
  it("declares itself and refuses to register until it is built", () => {
    expect(archAarch64Plugin.name).toBe("@novakit/arch-aarch64");
    expect(archAarch64Plugin.kind).toBe("arch");
    expect(() => archAarch64Plugin.register({} as never)).toThrow(NotImplementedError);
  });
});
