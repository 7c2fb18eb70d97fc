import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isNovakitError, type NovakitConfig } from "@novakit/kernel-core";
import { planLaunch } from "../measure/plan-launch.js";
import { txtLaunchOptionsSchema } from "../plugin-options.js";
import { skinitTestPlatform, txtTestPlatform } from "../test-support/txt-test-platform.js";
import { defaultTxtEnvironment } from "./default-txt-environment.js";
import { novakitTestAcmPath } from "./novakit-test-acm.js";
import { planTxtLaunch, type TxtLaunchInputs } from "./plan-txt-launch.js";
import type { TxtEnvironment } from "./txt-environment.js";
import { mleImageFromElf } from "./mle-image.js";
import { hypervisorElf } from "../measure/composed-image.js";

async function codeOf(run: () => unknown): Promise<string> {
  try {
    await run();
  } catch (error) {
    if (isNovakitError(error)) return error.code;
    throw error;
  }
  return "no error";
}

const config: NovakitConfig = { arch: "x86_64", platform: "test", domains: [] };
const acm = (): Uint8Array => new Uint8Array(readFileSync(novakitTestAcmPath()));

function inputs(change: (environment: TxtEnvironment) => TxtEnvironment = (environment) => environment, platform = txtTestPlatform()): TxtLaunchInputs {
  return {
    platform,
    environment: change(defaultTxtEnvironment(platform, acm(), "test ACM")),
    mle: mleImageFromElf(hypervisorElf("{}"), "x"),
    banks: ["sha1", "sha256"],
    novaLoadAddress: 0x400000n,
  };
}

describe("Intel TXT launch plan", () => {
  it("passes every SENTER precondition on the TXT test platform and fills OsSinitData from NOVA and the ACM", () => {
    const plan = planTxtLaunch(inputs());
    expect(plan.capabilities).toBe(0x347 & 0x7ff & ~0x30);
    expect(plan.heap.osSinitData.flags).toBe(1); // the ACM supports the max-performance policy
    expect(plan.heap.osSinitData.eventLog.tcgFormat).toBe(true);
    expect(plan.steps[0]?.kind).toBe("drtm");
    const first = plan.steps[0];
    expect(first?.kind === "drtm" ? first.data.length : 0).toBe(36); // SinitHash (SHA-256) ‖ EDX
  });

  it("refuses a platform without SMX (NK-TXT-001)", async () => {
    expect(await codeOf(() => planTxtLaunch(inputs(undefined, txtTestPlatform({ features: ["VMX", "NX"] }))))).toBe("NK-TXT-001");
  });

  it("checks the SENTER preconditions (NK-TXT-003): GETSEC leaves, FEATURE_CONTROL, ERRORCODE, MCE, CR0, DPR, memory map", async () => {
    const space = (offset: number, value: number) => (environment: TxtEnvironment): TxtEnvironment => {
      const bytes = Uint8Array.from(environment.publicSpace.bytes);
      new DataView(bytes.buffer).setUint32(offset, value, true);
      return { ...environment, publicSpace: new (environment.publicSpace.constructor as new (b: Uint8Array) => TxtEnvironment["publicSpace"])(bytes) };
    };
    const cases: ((environment: TxtEnvironment) => TxtEnvironment)[] = [
      (environment) => ({ ...environment, getsecCapabilities: 0x1ed }), // no SENTER
      (environment) => ({ ...environment, featureControl: 0x5n }), // not SENTER-enabled
      space(0x30, 0xc0008011), // ERRORCODE: valid, software, class 1
      space(0x30, 0x80000005), // processor-detected shutdown
      space(0x08, 1), // ESTS TXT_RESET
      space(0x300, 0), // HEAP.BASE 0
      space(0x330, 0x1ff00011), // DPR only 1 MiB: SINIT outside
      (environment) => ({ ...environment, mcgStatus: 4n }),
      (environment) => ({ ...environment, mcBankStatus: [0n, 1n << 63n] }),
      (environment) => ({ ...environment, cr0: 0x40000033n }),
      (environment) => ({ ...environment, tpmLocalityActive: true }),
      (environment) => ({ ...environment, biosData: { ...environment.biosData, numLogProcs: 7 } }),
    ];
    for (const change of cases) expect(await codeOf(() => planTxtLaunch(inputs(change)))).toBe("NK-TXT-003");
    expect(await codeOf(() => planTxtLaunch(inputs(space(0x30, 0xc0000001))))).toBe("no error"); // last launch succeeded
    const ramOverTxt = { ...txtTestPlatform(), memory: [{ base: 0x100000n, size: 0x3ff00000n, kind: "ram" as const }] };
    expect(await codeOf(() => planTxtLaunch(inputs(undefined, ramOverTxt)))).toBe("NK-TXT-003");
  });

  it("refuses an ACM for another CPU or chipset, or signed by a key the chipset does not trust (NK-TXT-005)", async () => {
    expect(await codeOf(() => planTxtLaunch(inputs(undefined, txtTestPlatform({ model: 0x9e }))))).toBe("NK-TXT-005");
    const options = txtLaunchOptionsSchema.parse({ txt: { didvid: "0x100003e108086" } });
    expect(await codeOf(() => planLaunch({ config, platform: txtTestPlatform(), plugins: [], options, baseDir: ".", banks: ["sha256"] }))).toBe("NK-TXT-005");
    const wrongKey = txtLaunchOptionsSchema.parse({ txt: { publicKeyHash: "00".repeat(32) } });
    expect(await codeOf(() => planLaunch({ config, platform: txtTestPlatform(), plugins: [], options: wrongKey, baseDir: ".", banks: ["sha256"] }))).toBe("NK-TXT-005");
  });

  it("picks the method by vendor with auto, and refuses the other vendor's (NK-TXT-002)", async () => {
    const auto = txtLaunchOptionsSchema.parse({});
    expect(planLaunch({ config, platform: txtTestPlatform(), plugins: [], options: auto, baseDir: ".", banks: ["sha256"] }).method).toBe("txt");
    expect(planLaunch({ config, platform: skinitTestPlatform(), plugins: [], options: auto, baseDir: ".", banks: ["sha256"] }).method).toBe("skinit");
    const txt = txtLaunchOptionsSchema.parse({ method: "txt" });
    expect(await codeOf(() => planLaunch({ config, platform: skinitTestPlatform(), plugins: [], options: txt, baseDir: ".", banks: ["sha256"] }))).toBe("NK-TXT-002");
  });

  it("measures the composed image: a plugin option or the command line changes the MLE, not the root", () => {
    const options = txtLaunchOptionsSchema.parse({});
    const plan = (cmdline: string, plugins = [{ name: "@novakit/scheduler", version: "0.1.0", options: { quantum: 1 } }]) =>
      planLaunch({ config: { ...config, cmdline }, platform: txtTestPlatform(), plugins, options, baseDir: ".", banks: ["sha256"] });
    const base = plan("");
    expect(Buffer.from(plan("nosmmu").mle.measured).equals(Buffer.from(base.mle.measured))).toBe(false);
    expect(Buffer.from(plan("", [{ name: "@novakit/scheduler", version: "0.1.0", options: { quantum: 2 } }]).mle.measured).equals(Buffer.from(base.mle.measured))).toBe(false);
    expect(Buffer.from(plan("nosmmu").rootSegment).equals(Buffer.from(base.rootSegment))).toBe(true);
    // the launch plugin's own options (the TPM URL) are not part of the image
    const withTpm = planLaunch({ config, platform: txtTestPlatform(), plugins: [{ name: "@novakit/txt-launch", version: "0.1.0", options: { tpm: "tcp://127.0.0.1:1" } }], options, baseDir: ".", banks: ["sha256"] });
    const withoutTpm = planLaunch({ config, platform: txtTestPlatform(), plugins: [{ name: "@novakit/txt-launch", version: "0.1.0", options: { tpm: "embedded" } }], options, baseDir: ".", banks: ["sha256"] });
    expect(Buffer.from(withTpm.mle.measured).equals(Buffer.from(withoutTpm.mle.measured))).toBe(true);
  });
});

describe("--mle / --root: real ELF files", () => {
  it("measures the files instead of the composed images (a system executable as the root task)", async () => {
    const { mkdtempSync, writeFileSync, rmSync, existsSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "novakit-mle-"));
    try {
      writeFileSync(join(dir, "hypervisor-x86_64"), hypervisorElf('{"real":"nova"}'));
      const root = existsSync("/bin/true") ? "/bin/true" : join(dir, "hypervisor-x86_64");
      const options = txtLaunchOptionsSchema.parse({ mle: "hypervisor-x86_64", root });
      const plan = planLaunch({ config, platform: txtTestPlatform(), plugins: [], options, baseDir: dir, banks: ["sha256"] });
      expect(plan.hypervisorSource).toBe(join(dir, "hypervisor-x86_64"));
      expect(new TextDecoder().decode(plan.mle.measured.subarray(0x40))).toBe('{"real":"nova"}');
      expect([...plan.rootSegment.subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]); // a PIE's first read-only PT_LOAD holds the ELF header
      const missing = txtLaunchOptionsSchema.parse({ mle: "no-such-file" });
      expect(await codeOf(() => planLaunch({ config, platform: txtTestPlatform(), plugins: [], options: missing, baseDir: dir, banks: ["sha256"] }))).toBe("NK-TXT-014");
      const notNova = txtLaunchOptionsSchema.parse({ mle: root });
      expect(await codeOf(() => planLaunch({ config, platform: txtTestPlatform(), plugins: [], options: notNova, baseDir: dir, banks: ["sha256"] }))).toBe(root === "/bin/true" ? "NK-TXT-007" : "no error");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
