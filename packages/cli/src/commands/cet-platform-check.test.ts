import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { makeProject, runIn, smallConfig } from "../test-support/cli-harness.js";

const FIXTURES = fileURLToPath(new URL("../../../security-cet/fixtures/", import.meta.url));
const TIGER_LAKE = join(FIXTURES, "intel-tiger-lake-cet.profile.json");
const CET_SSS = join(FIXTURES, "intel-cet-sss-test.profile.json");
const EXAMPLE = fileURLToPath(new URL("../../../../examples/configs/cet-full", import.meta.url));

function cetConfig(platform: string, options?: Record<string, unknown>): string {
  const plugin = options === undefined ? "@novakit/security-cet" : { name: "@novakit/security-cet", options };
  return JSON.stringify({ ...smallConfig(), platform, plugins: [plugin] });
}

interface CheckJson {
  readonly ok: boolean;
  readonly diagnostics: readonly { readonly code: string; readonly severity: string; readonly message: string; readonly field: string | null; readonly hint: string | null }[];
}

describe("novakit check: CFP against the platform's CPU", () => {
  it("rejects CFP=full on a CPU without CET_SSS, naming the feature and the CPU model", async () => {
    const dir = await makeProject({ "config.json": cetConfig(TIGER_LAKE, { cfp: "full" }) });
    const run = await runIn(dir, ["check", "config.json", "--json"]);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as CheckJson;
    expect(report.ok).toBe(false);
    const [diagnostic] = report.diagnostics.filter((d) => d.code === "NK-CET-050");
    expect(diagnostic?.severity).toBe("error");
    expect(diagnostic?.field).toBe("plugins[0].options.cfp");
    expect(diagnostic?.message).toContain("CET_SSS (CPUID.(7,1):EDX[18])");
    expect(diagnostic?.message).toContain("i7-1185G7");
    expect(diagnostic?.hint).toContain('"cfp": "branch"');
  });

  it("passes CFP=branch on that CPU", async () => {
    const dir = await makeProject({ "config.json": cetConfig(TIGER_LAKE, { cfp: "branch" }) });
    const run = await runIn(dir, ["check", "config.json", "--json"]);
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as CheckJson).diagnostics.filter((d) => d.code.startsWith("NK-CET"))).toEqual([]);
  });

  it("suggests the level a capable CPU could use when cfp is unset", async () => {
    const dir = await makeProject({ "config.json": cetConfig(CET_SSS) });
    const run = await runIn(dir, ["check", "config.json"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("warning NK-CET-051");
    expect(run.stdout).toContain('set "cfp": "full"');
  });

  it("says nothing about CET on the AMD QEMU profile (no CET bits)", async () => {
    const dir = await makeProject({ "config.json": JSON.stringify(smallConfig()) });
    const run = await runIn(dir, ["check", "config.json", "--json"]);
    expect((JSON.parse(run.stdout) as CheckJson).diagnostics.filter((d) => d.code.startsWith("NK-CET"))).toEqual([]);
  });
});

describe("novakit compose: CFP in the make flags", () => {
  it("writes ARCH and CFP", async () => {
    const dir = await makeProject({ "config.json": cetConfig(CET_SSS, { cfp: "full" }) });
    const run = await runIn(dir, ["compose", "config.json", "--json"]);
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as { makeFlags: string[] }).makeFlags).toEqual(["ARCH=x86_64", "CFP=full"]);
    const human = await runIn(dir, ["compose", "config.json"]);
    expect(human.stdout).toContain("make:    ARCH=x86_64 CFP=full\n");
  });

  it("writes CFP=none without the plugin", async () => {
    const dir = await makeProject({ "config.json": JSON.stringify(smallConfig()) });
    const run = await runIn(dir, ["compose", "config.json", "--json"]);
    expect((JSON.parse(run.stdout) as { makeFlags: string[] }).makeFlags).toEqual(["ARCH=x86_64", "CFP=none"]);
  });

  it("refuses a level the CPU cannot run (exit 2), unless the image is to be patched down", async () => {
    const dir = await makeProject({ "config.json": cetConfig(TIGER_LAKE, { cfp: "return" }), "patch.json": cetConfig(TIGER_LAKE, { cfp: "return", unsupported: "patch" }) });
    const refused = await runIn(dir, ["compose", "config.json"]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("NK-CET-050");
    const patched = await runIn(dir, ["compose", "patch.json", "--json"]);
    expect(patched.status).toBe(0);
    expect((JSON.parse(patched.stdout) as { makeFlags: string[] }).makeFlags).toEqual(["ARCH=x86_64", "CFP=return"]);
  });
});

describe("novakit boot", () => {
  it("refuses CFP=full on a CPU without CET_SSS with exit status 2", async () => {
    const dir = await makeProject({ "config.json": cetConfig(TIGER_LAKE, { cfp: "full" }) });
    const run = await runIn(dir, ["boot", "config.json"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("NK-CET-050");
  });

  it("examples/configs/cet-full: check is clean and boot stops both attacks with #CP", async () => {
    const dir = await makeProject();
    const check = await runIn(dir, ["check", EXAMPLE, "--json"]);
    expect(check.status).toBe(0);
    expect((JSON.parse(check.stdout) as CheckJson).diagnostics).toEqual([]);
    const boot = await runIn(dir, ["boot", EXAMPLE, "--json"]);
    expect(boot.status).toBe(0);
    const result = JSON.parse(boot.stdout) as { faults: { kind: string; detail: string }[]; domains: { name: string; results: Record<string, number> }[] };
    expect(result.faults.filter((fault) => fault.kind === "cp").map((fault) => fault.detail.split(" ")[0])).toEqual(["#CP(NEAR_RET)", "#CP(ENDBRANCH)"]);
    expect(result.domains.find((domain) => domain.name === "attacker")?.results).toMatchObject({ returnStopped: 1, branchStopped: 1, benignCompleted: 6 });
  });
});
