import { describe, expect, it } from "vitest";
import { bootTestKernel, createTestKernel, isNovakitError, type BootResult, type CpuState, type DomainConfig } from "@novakit/kernel-core";
import { archX86_64Plugin } from "@novakit/arch-x86_64";
import { CetMsr, CR4_CET } from "./msr/cet-registers.js";
import { SHADOW_STACK_TOP } from "./shadow-stack/shadow-stack-layout.js";
import { CET_SSS_PROFILE, TIGER_LAKE_PROFILE } from "./test-support/cet-test-platforms.js";
import { securityCetPlugin } from "./index.js";
import type { CfpLevel } from "./options/cet-options.js";

const ATTACKER: DomainConfig = { name: "attacker", kind: "native", memoryMiB: 4, vcpus: 2, cpus: [0, 1], priority: 10, budgetMs: 5, workload: "cfAttack" };

interface Booted {
  readonly result: BootResult;
  readonly cpuStates: readonly CpuState[];
}

/** Boot with the real x86_64 arch plugin on a profile, capturing every CPU's state after the cpu phase. */
async function boot(profile: string, options: Record<string, unknown>, domains: readonly DomainConfig[] = [ATTACKER]): Promise<Booted> {
  const kernel = createTestKernel({
    arch: archX86_64Plugin as never,
    platform: { name: profile },
    plugins: [{ plugin: securityCetPlugin as never, options }],
    domains,
    durationMs: 5,
  });
  const cpuStates: CpuState[] = [];
  kernel.hooks.cpu.tapPromise({ name: "test-capture", stage: 1000 }, async (context) => {
    cpuStates.push(context.state);
  });
  return { result: await kernel.boot(), cpuStates };
}

describe("@novakit/security-cet booted with the real x86_64 arch plugin", () => {
  it("programs CR4.CET, IA32_S_CET = 0x35 and IA32_PL0_SSP on every CPU with CFP=full", async () => {
    const { result, cpuStates } = await boot(CET_SSS_PROFILE, { cfp: "full" }, []);
    expect(cpuStates).toHaveLength(4);
    for (const state of cpuStates) {
      const cr4 = state.controlRegisters.get("CR4") ?? 0n;
      expect(cr4 & CR4_CET).toBe(CR4_CET);
      expect(cr4 & (1n << 5n)).toBe(1n << 5n); // the arch plugin's PAE is still there
      expect(state.msrs.get(CetMsr.IA32_S_CET)).toBe(0x35n);
      expect(state.msrs.get(CetMsr.IA32_PL0_SSP)).toBe(SHADOW_STACK_TOP);
      expect(state.msrs.has(CetMsr.IA32_U_CET)).toBe(false);
    }
    expect(result.log.filter((line) => line.includes("CET: CPU"))).toHaveLength(4);
    expect(result.log.join("\n")).toContain("CET: CPU 0: CFP=full, IBT on, SSS on (PL0_SSP=0xffffffffbfffeff8, token busy), CR4.CET=1 S_CET=0x35");
  });

  it.each([
    ["branch", 0x34n, false],
    ["return", 0x1n, true],
  ] as const)("CFP=%s writes S_CET=%s", async (cfp, sCet, shadow) => {
    const { cpuStates } = await boot(CET_SSS_PROFILE, { cfp }, []);
    expect(cpuStates[0]?.msrs.get(CetMsr.IA32_S_CET)).toBe(sCet);
    expect(cpuStates[0]?.msrs.has(CetMsr.IA32_PL0_SSP)).toBe(shadow);
  });

  it("leaves CR4.CET and the CET MSRs alone with CFP=none", async () => {
    const { result, cpuStates } = await boot(CET_SSS_PROFILE, {}, []);
    expect((cpuStates[0]?.controlRegisters.get("CR4") ?? 0n) & CR4_CET).toBe(0n);
    expect(cpuStates[0]?.msrs.has(CetMsr.IA32_S_CET)).toBe(false);
    expect(result.log.join("\n")).toContain("CET: CPU 0: CFP=none, no CET instructions in the image; CR4.CET clear");
  });

  it("refuses to boot CFP=full on a CPU without CET_SSS, naming the feature and the CPU (exit 2 in the CLI)", async () => {
    const error = await boot(TIGER_LAKE_PROFILE, { cfp: "full" }, []).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(isNovakitError(error)).toBe(true);
    expect((error as { code: string }).code).toBe("NK-CET-050");
    const message = (error as Error).message;
    expect(message).toContain("CET_SSS (CPUID.(7,1):EDX[18])");
    expect(message).toContain("i7-1185G7");
  });

  it("with unsupported: patch, boots that image with the shadow-stack sites patched out and says so", async () => {
    const { result, cpuStates } = await boot(TIGER_LAKE_PROFILE, { cfp: "full", unsupported: "patch" }, []);
    expect(cpuStates[0]?.msrs.get(CetMsr.IA32_S_CET)).toBe(0x34n);
    expect(cpuStates[0]?.msrs.has(CetMsr.IA32_PL0_SSP)).toBe(false);
    expect(result.log.join("\n")).toMatch(/CET: CPU 0: CFP=full, IBT on, SSS patched out \(.*i7-1185G7.* lacks CET_SSS; SETSSBSY\/CLRSSBSY\/INCSSP\/RDSSP sites are NOPs\)/);
  });

  it("patches IBT out on a CPU without CET at all", async () => {
    const { result } = await bootTestKernel({
      plugins: [{ plugin: securityCetPlugin as never, options: { cfp: "branch", unsupported: "patch" } }],
      platform: { vendor: "amd", features: ["NX", "SVM"] },
    });
    expect(result.log.join("\n")).toContain("CET: CPU 0: CFP=branch, IBT patched out (Novakit Test CPU lacks CET_IBT; ENDBR64 runs as a NOP), CR4.CET=0 S_CET=0x0");
  });
});

interface AttackResults {
  readonly result: BootResult;
  readonly returnStopped: number;
  readonly returnHijacked: number;
  readonly branchStopped: number;
  readonly branchHijacked: number;
  readonly benign: number;
}

async function cfAttack(cfp: CfpLevel): Promise<AttackResults> {
  const { result } = await boot(CET_SSS_PROFILE, { cfp });
  const domain = result.domains.find((candidate) => candidate.name === "attacker");
  const count = (key: string): number => (typeof domain?.results[key] === "number" ? (domain.results[key] as number) : 0);
  return {
    result,
    returnStopped: count("returnStopped"),
    returnHijacked: count("returnHijacked"),
    branchStopped: count("branchStopped"),
    branchHijacked: count("branchHijacked"),
    benign: count("benignCompleted"),
  };
}

describe("scenario cfAttack", () => {
  it("CFP=full stops both attacks with #CP, logs NOVA's kill and publishes two cp faults", async () => {
    const run = await cfAttack("full");
    expect(run).toMatchObject({ returnStopped: 1, branchStopped: 1, returnHijacked: 0, branchHijacked: 0, benign: 2 });
    const cp = run.result.faults.filter((fault) => fault.kind === "cp");
    expect(cp.map((fault) => fault.detail.slice(0, 40))).toEqual(["#CP(NEAR_RET) vector 21 error code 0x1 i", "#CP(ENDBRANCH) vector 21 error code 0x3 "]);
    expect(cp.every((fault) => fault.domain === "attacker")).toBe(true);
    const log = run.result.log.join("\n");
    expect(log).toMatch(/Killed EC:\d+ V:0x15 CS:0x8 IP:0x[0-9a-f]+ ERR:0x1 \(EXC\)/);
    expect(log).toMatch(/Killed EC:\d+ V:0x15 CS:0x8 IP:0x[0-9a-f]+ ERR:0x3 \(EXC\)/);
    expect(log).not.toContain("HIJACKED");
  });

  it("CFP=none lets both through and reports two hijacks", async () => {
    const run = await cfAttack("none");
    expect(run).toMatchObject({ returnStopped: 0, branchStopped: 0, returnHijacked: 1, branchHijacked: 1, benign: 2 });
    expect(run.result.faults.filter((fault) => fault.kind === "cp")).toEqual([]);
    const log = run.result.log.join("\n");
    expect(log).toContain("cfAttack: return-address overwrite: control-flow HIJACKED: ret of dispatch went to gadget");
    expect(log).toContain("cfAttack: jump to a non-ENDBR gadget: control-flow HIJACKED: indirect call in dispatch reached gadget");
  });

  it("CFP=branch stops only the gadget jump", async () => {
    expect(await cfAttack("branch")).toMatchObject({ returnStopped: 0, returnHijacked: 1, branchStopped: 1, branchHijacked: 0 });
  });

  it("CFP=return stops only the return-address overwrite", async () => {
    expect(await cfAttack("return")).toMatchObject({ returnStopped: 1, returnHijacked: 0, branchStopped: 0, branchHijacked: 1 });
  });

  it("is deterministic: same configuration, same log", async () => {
    const first = await cfAttack("full");
    const second = await cfAttack("full");
    expect(second.result.log).toEqual(first.result.log);
  });
});
