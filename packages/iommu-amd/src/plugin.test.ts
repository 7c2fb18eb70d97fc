import { describe, expect, it } from "vitest";
import { NotImplementedError } from "@novakit/kernel-core";
import { iommuAmdPlugin } from "./index.js";

describe("@novakit/iommu-amd manifest", () => {
  it("declares itself and refuses to register until it is built", () => {
    expect(iommuAmdPlugin.name).toBe("@novakit/iommu-amd");
    expect(iommuAmdPlugin.kind).toBe("iommu");
    expect(() => iommuAmdPlugin.register({} as never)).toThrow(NotImplementedError);
  });
});
