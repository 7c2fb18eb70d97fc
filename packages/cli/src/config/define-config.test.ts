import { describe, expect, it } from "vitest";
import { defineConfig } from "./define-config.js";
import { selectArchTarget } from "./arch-targets.js";
import { validateConfig } from "./validate-config.js";

describe("defineConfig for configuration files", () => {
  it("types a portable configuration that selects into a valid one-arch configuration per target", () => {
    const config = defineConfig({
      name: "portable",
      targets: { x86_64: { platform: "qemu-q35-amd-iommu" }, aarch64: { platform: "qemu-virt-gicv3", cmdline: "" } },
      domains: [{ name: "a", kind: "native", memoryMiB: 4, vcpus: 1, priority: 10, budgetMs: 1, workload: "busy-loop" }],
    });
    for (const arch of ["x86_64", "aarch64"] as const) {
      const { config: selected, errors } = validateConfig(selectArchTarget(config, "t.ts", arch), "t.ts");
      expect(errors).toEqual([]);
      expect(selected?.arch).toBe(arch);
      expect(selected).not.toHaveProperty("targets");
    }
  });
});
