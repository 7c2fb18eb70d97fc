import { describe, expect, it } from "vitest";
import { NotImplementedError } from "@novakit/kernel-core";
import { securityCetPlugin } from "./index.js";

describe("@novakit/security-cet manifest", () => {
  it("declares itself and refuses to register until it is built", () => {
    expect(securityCetPlugin.name).toBe("@novakit/security-cet");
    expect(securityCetPlugin.kind).toBe("security");
    expect(() => securityCetPlugin.register({} as never)).toThrow(NotImplementedError);
  });
});
