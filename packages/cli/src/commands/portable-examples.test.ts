import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeProject, runIn } from "../test-support/cli-harness.js";
import { EXAMPLE_CONFIGS_DIR } from "../test-support/example-configs.js";

/** The part of `boot --json` read here. */
interface BootJson {
  readonly platform: { readonly name: string; readonly arch: string };
}

/**
 * x86-basic and aarch64-basic became portable (two-domains is new). Booted with --arch they must
 * give, byte for byte, what the one-arch configuration for that arch gives (written out here
 * from the shared part and a literal arch and platform, not derived by the code under test).
 */
describe("the portable examples boot as the one-arch configurations they stand for", () => {
  const examples = [
    { folder: "x86-basic", own: { arch: "x86_64", platform: "qemu-q35-amd-iommu" }, other: { arch: "aarch64", platform: "qemu-virt-gicv3" } },
    { folder: "aarch64-basic", own: { arch: "aarch64", platform: "qemu-virt-gicv3" }, other: { arch: "x86_64", platform: "qemu-q35-amd-iommu" } },
    { folder: "two-domains", own: { arch: "x86_64", platform: "qemu-q35-amd-iommu" }, other: { arch: "aarch64", platform: "qemu-virt-gicv3" } },
  ];
  it.each(examples)("$folder: under --seed, each arch boots as its one-arch configuration; no --arch is its own arch", async ({ folder, own, other }) => {
    const example = JSON.parse(await readFile(join(EXAMPLE_CONFIGS_DIR, folder, "novakit.config.json"), "utf8")) as Record<string, unknown>;
    const { targets: _targets, arch: _arch, ...shared } = example;
    const dir = await makeProject();
    for (const fixed of [own, other]) {
      await writeFile(join(dir, `${fixed.arch}.json`), JSON.stringify({ ...shared, ...fixed }));
      const expected = await runIn(dir, ["boot", `${fixed.arch}.json`, "--seed", "5", "--json"]);
      const actual = await runIn(dir, ["boot", join(EXAMPLE_CONFIGS_DIR, folder), "--arch", fixed.arch, "--seed", "5", "--json"]);
      expect(actual.stderr).toBe("");
      expect(actual.status).toBe(0);
      expect((JSON.parse(actual.stdout) as BootJson).platform.name).toBe(fixed.platform);
      expect(actual.stdout).toBe(expected.stdout);
    }
    // without --arch: its own arch (compared through compose, which is cheaper than a boot)
    const composed = await runIn(dir, ["compose", join(EXAMPLE_CONFIGS_DIR, folder), "--json"]);
    expect(composed.stdout).toBe((await runIn(dir, ["compose", `${own.arch}.json`, "--json"])).stdout);
  });

  it.each(["ai-host", "cet-full", "txt-intel", "skinit-amd", "third-party-plugins"])("%s declares only x86_64: --arch aarch64 is refused", async (folder) => {
    const dir = await makeProject();
    const run = await runIn(dir, ["check", join(EXAMPLE_CONFIGS_DIR, folder), "--arch", "aarch64"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("[NK-TGT-001]");
    expect(run.stderr).toContain("the configuration supports x86_64 only");
  });
});
