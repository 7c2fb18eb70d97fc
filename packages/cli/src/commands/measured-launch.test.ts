import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeProject, runIn } from "../test-support/cli-harness.js";
import { EXAMPLE_CONFIGS_DIR } from "../test-support/example-configs.js";

const TXT_EXAMPLE = join(EXAMPLE_CONFIGS_DIR, "txt-intel");
const SKINIT_EXAMPLE = join(EXAMPLE_CONFIGS_DIR, "skinit-amd");

interface MeasureJson {
  readonly method: string;
  readonly banks: readonly string[];
  readonly pcrs: Record<string, Record<string, string>>;
  readonly events: readonly { readonly number: number; readonly pcr: number; readonly typeName: string }[];
}

function amdConfigWithMethod(method: string): string {
  return JSON.stringify({
    name: "txt-on-amd",
    arch: "x86_64",
    platform: "qemu-q35-amd-iommu",
    plugins: [{ name: "@novakit/txt-launch", options: { method } }],
    domains: [{ name: "a", kind: "native", memoryMiB: 8, vcpus: 1, priority: 10, budgetMs: 1, workload: "busy-loop" }],
  });
}

describe("novakit measure", () => {
  it.each([TXT_EXAMPLE, SKINIT_EXAMPLE])("the example %s checks clean", async (example) => {
    const cwd = await makeProject();
    const run = await runIn(cwd, ["check", example, "--json"]);
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as { diagnostics: unknown[] }).diagnostics).toEqual([]);
  });

  it("predicts PCR 17/18/19 per bank for the TXT example, the same on every run", async () => {
    const cwd = await makeProject();
    const first = await runIn(cwd, ["measure", TXT_EXAMPLE, "--json"]);
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    const json = JSON.parse(first.stdout) as MeasureJson;
    expect(json.method).toBe("txt");
    expect(json.banks).toEqual(["sha1", "sha256", "sha384", "sha512"]);
    expect(Object.keys(json.pcrs["sha1"] ?? {})).toEqual(["17", "18", "19"]);
    expect(json.events.at(-1)).toMatchObject({ pcr: 19, typeName: "EV_EVENT_TAG" });
    expect((await runIn(cwd, ["measure", TXT_EXAMPLE, "--json"])).stdout).toBe(first.stdout);
    const sha256Only = JSON.parse((await runIn(cwd, ["measure", TXT_EXAMPLE, "--json", "--banks", "sha256"])).stdout) as MeasureJson;
    expect(sha256Only.pcrs["sha256"]).toEqual(json.pcrs["sha256"]);
  });

  it("writes the expected log; boot --event-log writes the same bytes; verify-log --expected accepts it", async () => {
    const cwd = await makeProject();
    expect((await runIn(cwd, ["measure", SKINIT_EXAMPLE, "-o", "expected.log"])).status).toBe(0);
    await writeFile(join(cwd, "expected.json"), (await runIn(cwd, ["measure", SKINIT_EXAMPLE, "--json"])).stdout);
    const boot = await runIn(cwd, ["boot", SKINIT_EXAMPLE, "--quiet", "--event-log", "boot.log"]);
    expect(boot.stderr).toBe("");
    expect(boot.status).toBe(0);
    const expected = await readFile(join(cwd, "expected.log"));
    expect(expected.equals(await readFile(join(cwd, "boot.log")))).toBe(true);
    const verified = await runIn(cwd, ["verify-log", "boot.log", "--expected", "expected.json"]);
    expect(verified.stdout).toContain("match");
    expect(verified.status).toBe(0);
  });

  it("verify-log: a tampered digest is a mismatch naming the first diverging event (exit 1); a truncated log is exit 2", async () => {
    const cwd = await makeProject();
    await runIn(cwd, ["measure", TXT_EXAMPLE, "-o", "expected.log"]);
    await writeFile(join(cwd, "expected.json"), (await runIn(cwd, ["measure", TXT_EXAMPLE, "--json"])).stdout);
    const log = await readFile(join(cwd, "expected.log"));
    // header record: 32 + 45 bytes; record 1: 12 bytes, then the SHA-1 digest after its 2-byte id
    const tampered = Buffer.from(log);
    const record2 = 32 + 45 + 12 + (2 + 20 + 2 + 32 + 2 + 48 + 2 + 64) + 4 + 36;
    tampered[record2 + 12 + 2] = (tampered[record2 + 12 + 2] ?? 0) ^ 0xff;
    await writeFile(join(cwd, "tampered.log"), tampered);
    const mismatch = await runIn(cwd, ["verify-log", "tampered.log", "--expected", "expected.json", "--json"]);
    expect(mismatch.status).toBe(1);
    const report = JSON.parse(mismatch.stdout) as { ok: boolean; firstDivergingEvent: { number: number; reason: string } };
    expect(report.ok).toBe(false);
    expect(report.firstDivergingEvent.number).toBe(2);
    expect(report.firstDivergingEvent.reason).toContain("sha1 digest");
    await writeFile(join(cwd, "short.log"), log.subarray(0, log.length - 3));
    const truncated = await runIn(cwd, ["verify-log", "short.log"]);
    expect(truncated.status).toBe(2);
    expect(truncated.stderr).toContain("NK-LOG-001");
  });

  it("check refuses TXT on AMD with NK-TXT-002; SKINIT on AMD checks clean", async () => {
    const cwd = await makeProject({ "txt.json": amdConfigWithMethod("txt"), "skinit.json": amdConfigWithMethod("skinit") });
    const refused = await runIn(cwd, ["check", "txt.json", "--json"]);
    expect(refused.status).toBe(1);
    const report = JSON.parse(refused.stdout) as { diagnostics: { code: string; message: string }[] };
    expect(report.diagnostics.map((diagnostic) => diagnostic.code)).toContain("NK-TXT-002");
    expect((await runIn(cwd, ["check", "skinit.json"])).status).toBe(0);
  });

  it("measure and boot --tpm need the launch plugin (exit 2, NK-TXT-018)", async () => {
    const cwd = await makeProject();
    const measure = await runIn(cwd, ["measure", join(EXAMPLE_CONFIGS_DIR, "x86-basic")]);
    expect(measure.status).toBe(2);
    expect(measure.stderr).toContain("NK-TXT-018");
    const boot = await runIn(cwd, ["boot", join(EXAMPLE_CONFIGS_DIR, "x86-basic"), "--tpm", "embedded"]);
    expect(boot.status).toBe(2);
    expect(boot.stderr).toContain("NK-TXT-018");
  });

  it("boot --tpm to a TPM that is not there fails the boot with a clear error, exit 2", async () => {
    const cwd = await makeProject();
    const boot = await runIn(cwd, ["boot", SKINIT_EXAMPLE, "--quiet", "--tpm", "tcp://127.0.0.1:1"]);
    expect(boot.status).toBe(2);
    expect(boot.stderr).toMatch(/NK-TPM-00\d/);
  });
});
