import { describe, expect, it } from "vitest";
import { CFP_LEVELS, type CfpLevel } from "../options/cet-options.js";
import { protectionsOf } from "../gating/cfp-protections.js";
import { SHADOW_STACK_TOP } from "../shadow-stack/shadow-stack-layout.js";
import { testCetCpu } from "../test-support/cet-test-cpu.js";
import { runHypercallPath, type ControlFlowAttack } from "./hypercall-path.js";
import { handleHypervisorException } from "./kernel-exception.js";

function run(level: CfpLevel, attack: ControlFlowAttack, log: string[] = []) {
  const live = protectionsOf(level);
  const setup = testCetCpu(live, log);
  const outcome = runHypercallPath(setup.cpu, setup.image, { sss: live.sss }, attack);
  return { ...setup, outcome };
}

describe("the modelled hypercall path", () => {
  it.each(CFP_LEVELS)("completes without an attack at CFP=%s and leaves the token as it found it", (level) => {
    const { cpu, outcome } = run(level, "none");
    expect(outcome).toEqual({ kind: "completed" });
    if (protectionsOf(level).sss) expect(cpu.peekShadow(SHADOW_STACK_TOP)).toBe(SHADOW_STACK_TOP);
    expect(cpu.ssp).toBe(0n);
  });

  // [level, attack, expected]
  const matrix = [
    ["none", "return-overwrite", "hijacked"],
    ["none", "gadget-jump", "hijacked"],
    ["branch", "return-overwrite", "hijacked"],
    ["branch", "gadget-jump", "ENDBRANCH"],
    ["return", "return-overwrite", "NEAR_RET"],
    ["return", "gadget-jump", "hijacked"],
    ["full", "return-overwrite", "NEAR_RET"],
    ["full", "gadget-jump", "ENDBRANCH"],
  ] as const;
  it.each(matrix)("CFP=%s, %s: %s", (level, attack, expected) => {
    const { outcome } = run(level, attack);
    if (expected === "hijacked") {
      expect(outcome.kind).toBe("hijacked");
    } else {
      expect(outcome).toMatchObject({ kind: "stopped", exception: { vector: 21, cause: expected } });
    }
  });

  it("a second entry while the token is still busy is #CP(SETSSBSY)", () => {
    const { cpu, image } = testCetCpu({ ibt: false, sss: true });
    const first = runHypercallPath(cpu, image, { sss: true }, "none");
    expect(first.kind).toBe("completed");
    // CLRSSBSY freed it; take it again without releasing
    cpu.setssbsy(0n);
    expect(runHypercallPath(cpu, image, { sss: true }, "none")).toMatchObject({ kind: "stopped", exception: { cause: "SETSSBSY", errorCode: 5 } });
  });

  it("the kernel's #CP handling logs NOVA's kill line, publishes a cp fault and frees the token", () => {
    const log: string[] = [];
    const { cpu, image, kernel, outcome } = run("full", "return-overwrite", log);
    const faults: unknown[] = [];
    kernel.hooks.fault.tap("test", (event) => faults.push(event));
    if (outcome.kind !== "stopped") throw new Error("expected #CP");
    expect(cpu.peekShadow(SHADOW_STACK_TOP)).toBe(SHADOW_STACK_TOP | 1n);
    const event = handleHypervisorException(kernel, cpu, outcome.exception, { ecId: 42, domain: "attacker" });
    expect(event).toMatchObject({ kind: "cp", cpu: 0, domain: "attacker", access: "execute" });
    expect(event.detail).toContain("#CP(NEAR_RET) vector 21 error code 0x1");
    expect(faults).toEqual([event]);
    expect(log[0]).toMatch(/^Killed EC:42 V:0x15 CS:0x8 IP:0xffffffff801010c0 ERR:0x1 \(EXC\)/);
    expect(cpu.peekShadow(SHADOW_STACK_TOP)).toBe(SHADOW_STACK_TOP);
    expect(runHypercallPath(cpu, image, { sss: true }, "none").kind).toBe("completed");
  });

  it("handling a #CP raised before the shadow stack is active leaves the other owner's busy token alone", () => {
    const { cpu, image, kernel } = testCetCpu({ ibt: true, sss: true });
    cpu.setssbsy(0n);
    cpu.sysret(); // user mode while the token stays busy: another context owns the stack
    const outcome = runHypercallPath(cpu, image, { sss: true }, "none");
    if (outcome.kind !== "stopped") throw new Error("expected #CP(SETSSBSY)");
    expect(outcome.exception).toMatchObject({ cause: "SETSSBSY", errorCode: 5 });
    expect(cpu.ssp).toBe(0n);
    handleHypervisorException(kernel, cpu, outcome.exception, { ecId: 7 });
    expect(cpu.peekShadow(SHADOW_STACK_TOP)).toBe(SHADOW_STACK_TOP | 1n);
  });
});
