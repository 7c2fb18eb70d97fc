import { describe, expect, it } from "vitest";
import { makeProject, runIn, smallConfig } from "../test-support/cli-harness.js";

/** smallConfig made portable: the machine moves into one target per arch. */
function portableConfig(targets: Record<string, unknown>, defaultArch?: string): Record<string, unknown> {
  const { arch: _arch, platform: _platform, ...shared } = smallConfig();
  return { ...shared, ...(defaultArch === undefined ? {} : { arch: defaultArch }), targets };
}

const BOTH = { x86_64: { platform: "qemu-q35-amd-iommu" }, aarch64: { platform: "qemu-virt-gicv3" } };

async function projectWith(config: unknown): Promise<string> {
  return makeProject({ "novakit.config.json": JSON.stringify(config) });
}

/** The parts of `boot --json` and `compose --json` read here. */
interface BootJson {
  readonly platform: { readonly name: string; readonly arch: string };
}
interface ComposeJson {
  readonly arch: string;
  readonly hash: string;
  readonly platform: { readonly name: string };
  readonly plugins: readonly { readonly name: string }[];
}

describe("--arch on a portable configuration (targets)", () => {
  it("check, compose and boot use the arch asked for", async () => {
    const dir = await projectWith(portableConfig(BOTH));
    for (const arch of ["x86_64", "aarch64"] as const) {
      const check = await runIn(dir, ["check", "--arch", arch, "--json"]);
      expect(check.stderr).toBe("");
      expect(check.status).toBe(0);
      const composed = await runIn(dir, ["compose", "--arch", arch, "--json"]);
      expect(composed.status).toBe(0);
      const bootable = JSON.parse(composed.stdout) as ComposeJson;
      expect(bootable.arch).toBe(arch);
      expect(bootable.platform.name).toBe(BOTH[arch].platform);
      expect(bootable.plugins[0]?.name).toBe(`@novakit/arch-${arch === "x86_64" ? "x86_64" : "aarch64"}`);
      const boot = await runIn(dir, ["boot", "--arch", arch, "--json"]);
      expect(boot.status).toBe(0);
      expect((JSON.parse(boot.stdout) as BootJson).platform).toMatchObject({ name: BOTH[arch].platform, arch });
    }
  });

  it("without --arch: the declared default, else the first target", async () => {
    const first = await projectWith(portableConfig({ aarch64: BOTH.aarch64, x86_64: BOTH.x86_64 }));
    expect((JSON.parse((await runIn(first, ["compose", "--json"])).stdout) as ComposeJson).arch).toBe("aarch64");
    const declared = await projectWith(portableConfig({ aarch64: BOTH.aarch64, x86_64: BOTH.x86_64 }, "x86_64"));
    expect((JSON.parse((await runIn(declared, ["compose", "--json"])).stdout) as ComposeJson).arch).toBe("x86_64");
  });

  it("a target replaces the shared keys it sets; the rest is shared", async () => {
    const config = { ...portableConfig({ x86_64: { platform: "qemu-q35-amd-iommu", cmdline: "nocpst" }, aarch64: BOTH.aarch64 }), cmdline: "" };
    const dir = await projectWith(config);
    const x86 = JSON.parse((await runIn(dir, ["compose", "--arch", "x86_64", "--json"])).stdout) as { cmdline: { text: string } };
    const arm = JSON.parse((await runIn(dir, ["compose", "--arch", "aarch64", "--json"])).stdout) as { cmdline: { text: string } };
    expect(x86.cmdline.text).toBe("nocpst");
    expect(arm.cmdline.text).toBe("");
  });

  it("compose of a portable configuration is the compose of the one-arch configuration it selects: same bytes, same hash", async () => {
    const portable = await projectWith(portableConfig(BOTH));
    const fixed = await projectWith({ ...smallConfig(), arch: "aarch64", platform: "qemu-virt-gicv3" });
    const fromPortable = await runIn(portable, ["compose", "--arch", "aarch64", "--json"]);
    const fromFixed = await runIn(fixed, ["compose", "--json"]);
    expect(fromPortable.status).toBe(0);
    expect(fromPortable.stdout).toBe(fromFixed.stdout);
    expect((await runIn(portable, ["compose", "--arch", "aarch64", "--json"])).stdout).toBe(fromPortable.stdout);
    const x86 = JSON.parse((await runIn(portable, ["compose", "--arch", "x86_64", "--json"])).stdout) as ComposeJson;
    expect(x86.hash).not.toBe((JSON.parse(fromPortable.stdout) as ComposeJson).hash);
  });

  it("an arch the targets do not list: exit 2, NK-TGT-001 naming the file, the field and the arches it supports", async () => {
    const dir = await projectWith(portableConfig({ aarch64: BOTH.aarch64 }));
    for (const command of ["check", "boot", "compose"]) {
      const run = await runIn(dir, [command, "--arch", "x86_64"]);
      expect(run.status).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain("[NK-TGT-001]");
      expect(run.stderr).toContain("novakit.config.json: targets: --arch x86_64: the configuration supports aarch64 only");
    }
  });
});

describe("--arch on a configuration with a fixed arch", () => {
  it("accepts its own arch and behaves as without --arch", async () => {
    const dir = await projectWith(smallConfig());
    expect((await runIn(dir, ["check", "--arch", "x86_64"])).status).toBe(0);
    const withArch = await runIn(dir, ["boot", "--arch", "x86_64", "--json"]);
    const without = await runIn(dir, ["boot", "--json"]);
    expect(withArch.status).toBe(0);
    expect(withArch.stdout).toBe(without.stdout);
    expect((await runIn(dir, ["compose", "--arch", "x86_64", "--json"])).stdout).toBe((await runIn(dir, ["compose", "--json"])).stdout);
  });

  it("rejects another arch for check, boot, compose and check --isolation: exit 2, NK-TGT-001 on field arch", async () => {
    const dir = await projectWith(smallConfig());
    for (const argv of [["check"], ["check", "--json"], ["check", "--isolation"], ["boot"], ["compose"]]) {
      const run = await runIn(dir, [...argv, "--arch", "aarch64"]);
      expect(run.status).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain("novakit.config.json: arch: --arch aarch64: the configuration supports x86_64 only [NK-TGT-001]");
      expect(run.stderr).toContain("hint: use --arch x86_64 or leave --arch out");
    }
  });

  it("the built-in default configuration (x86_64) rejects --arch aarch64", async () => {
    const dir = await makeProject();
    const run = await runIn(dir, ["compose", "--arch", "aarch64"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("built-in default configuration: arch: --arch aarch64");
  });

  it("an arch novakit does not know: exit 2, NK-TGT-003", async () => {
    const dir = await projectWith(smallConfig());
    for (const command of ["check", "boot", "compose"]) {
      const run = await runIn(dir, [command, "--arch", "riscv64"]);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(`${command}: --arch expects x86_64 or aarch64, got "riscv64" [NK-TGT-003]`);
    }
  });
});

describe("mistakes in a targets section, as check reports them (exit 1, file and field)", () => {
  const cases = [
    { why: "an unknown key in a target", targets: { aarch64: { ...BOTH.aarch64, bogus: 1 } }, code: "NK-CFG-005", field: "targets.aarch64.bogus" },
    { why: "an arch key novakit does not know", targets: { riscv64: { platform: "x" } }, code: "NK-CFG-005", field: "targets.riscv64" },
    { why: "a wrong type inside a target", targets: { x86_64: { platform: 3 } }, code: "NK-CFG-006", field: "targets.x86_64.platform" },
    { why: "a bad domain inside a target", targets: { x86_64: { ...BOTH.x86_64, domains: [{ ...smallConfig().domains[0], priority: 0 }] } }, code: "NK-CFG-007", field: "targets.x86_64.domains[0].priority" },
    { why: "targets that is not an object", targets: ["x86_64"], code: "NK-CFG-006", field: "targets" },
    { why: "no target at all", targets: {}, code: "NK-TGT-004", field: "targets" },
  ];
  it.each(cases)("$why: $code at $field", async ({ targets, code, field }) => {
    const dir = await projectWith(portableConfig(targets as Record<string, unknown>));
    const run = await runIn(dir, ["check", "--json"]);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { ok: boolean; diagnostics: { code: string; field: string; file: string }[] };
    expect(report.ok).toBe(false);
    expect(report.diagnostics).toEqual([expect.objectContaining({ code, field, file: "novakit.config.json" })]);
  });

  it("a default arch that is not a target: NK-TGT-002 at arch, naming the targets", async () => {
    const dir = await projectWith(portableConfig({ aarch64: BOTH.aarch64 }, "x86_64"));
    const run = await runIn(dir, ["check"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('error NK-TGT-002: novakit.config.json: arch: the default arch "x86_64" is not one of the targets (aarch64)');
  });
});
