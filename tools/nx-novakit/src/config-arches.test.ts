import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { archesOfModuleText, archesOfValue } from "./config-arches.js";

const EXAMPLES = fileURLToPath(new URL("../../../examples/configs/", import.meta.url));

describe("archesOfValue (JSON configurations)", () => {
  it("a fixed arch: that one, as the default", () => {
    expect(archesOfValue({ arch: "aarch64", platform: "p" })).toEqual({ arches: ["aarch64"], defaultArch: "aarch64" });
  });
  it("targets: their keys in declared order; the default is the first unless arch names one", () => {
    expect(archesOfValue({ targets: { aarch64: {}, x86_64: {} } })).toEqual({ arches: ["aarch64", "x86_64"], defaultArch: "aarch64" });
    expect(archesOfValue({ arch: "x86_64", targets: { aarch64: {}, x86_64: {} } })).toEqual({ arches: ["aarch64", "x86_64"], defaultArch: "x86_64" });
  });
  it("unknown arch keys and values are ignored; nothing readable gives no arches", () => {
    expect(archesOfValue({ targets: { riscv64: {}, x86_64: {} } })).toEqual({ arches: ["x86_64"], defaultArch: "x86_64" });
    expect(archesOfValue({ arch: "riscv64" })).toEqual({ arches: [] });
    expect(archesOfValue([1, 2])).toEqual({ arches: [] });
    expect(archesOfValue({ targets: {} })).toEqual({ arches: [] });
  });
});

describe("archesOfModuleText (TypeScript configurations, read without running them)", () => {
  it("the literal arch", () => {
    expect(archesOfModuleText('export default defineConfig({ arch: "x86_64", platform: "q35" });')).toEqual({ arches: ["x86_64"], defaultArch: "x86_64" });
  });
  it("the keys directly inside targets, not nested ones, in order", () => {
    const text = `export default defineConfig({
      targets: {
        aarch64: { platform: "qemu-virt-gicv3", plugins: [{ name: "x", options: { x86_64: true } }] },
        "x86_64": { platform: "qemu-q35-amd-iommu" },
      },
      domains: [],
    });`;
    expect(archesOfModuleText(text)).toEqual({ arches: ["aarch64", "x86_64"], defaultArch: "aarch64" });
  });
  it("commented-out arches do not count", () => {
    expect(archesOfModuleText('// arch: "aarch64",\n/* arch: "aarch64" */ export default { arch: "x86_64" };')).toEqual({ arches: ["x86_64"], defaultArch: "x86_64" });
  });
  it("an arch that is computed cannot be read: no arches", () => {
    expect(archesOfModuleText("const arch = pick(); export default defineConfig({ arch, domains: [] });")).toEqual({ arches: [] });
  });
});

describe("the repository's examples", () => {
  const cases = [
    { folder: "two-domains", file: "novakit.config.json", arches: ["x86_64", "aarch64"], defaultArch: "x86_64" },
    { folder: "x86-basic", file: "novakit.config.json", arches: ["x86_64", "aarch64"], defaultArch: "x86_64" },
    { folder: "aarch64-basic", file: "novakit.config.json", arches: ["aarch64", "x86_64"], defaultArch: "aarch64" },
    { folder: "ai-host", file: "novakit.config.json", arches: ["x86_64"], defaultArch: "x86_64" },
    { folder: "cet-full", file: "novakit.config.json", arches: ["x86_64"], defaultArch: "x86_64" },
    { folder: "txt-intel", file: "novakit.config.json", arches: ["x86_64"], defaultArch: "x86_64" },
    { folder: "skinit-amd", file: "novakit.config.json", arches: ["x86_64"], defaultArch: "x86_64" },
    { folder: "x86-typescript", file: "novakit.config.ts", arches: ["x86_64"], defaultArch: "x86_64" },
  ];
  it.each(cases)("$folder: $arches", ({ folder, file, arches, defaultArch }) => {
    const text = readFileSync(join(EXAMPLES, folder, file), "utf8");
    expect(file.endsWith(".json") ? archesOfValue(JSON.parse(text)) : archesOfModuleText(text)).toEqual({ arches, defaultArch });
  });
});
