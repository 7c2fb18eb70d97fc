import { describe, expect, it } from "vitest";
import { CetControl, CetMsr } from "../msr/cet-registers.js";
import { SHADOW_STACK_TOP } from "../shadow-stack/shadow-stack-layout.js";
import { restoreToken } from "../shadow-stack/supervisor-token.js";
import { testCetCpu } from "../test-support/cet-test-cpu.js";
import { CP_VECTOR, CpErrorCode, type CpuException, type Step } from "./cpu-exception.js";
import { ImageAddress } from "./hypervisor-image.js";

const FULL = { ibt: true, sss: true };
const IP = 0xffff_ffff_8010_0000n;

function exceptionOf<T>(step: Step<T>): CpuException {
  if (step.ok) throw new Error("expected an exception");
  return step.exception;
}

describe("#CP error codes (cet.md §4.5)", () => {
  it("has vector 21 and codes NEAR_RET 1, FAR_RET/IRET 2, ENDBRANCH 3, RSTORSSP 4, SETSSBSY 5", () => {
    expect(CP_VECTOR).toBe(21);
    expect(CpErrorCode).toEqual({ NEAR_RET: 1, FAR_RET_IRET: 2, ENDBRANCH: 3, RSTORSSP: 4, SETSSBSY: 5 });
  });

  it("NEAR_RET: a return address that differs from the shadow stack", () => {
    const { cpu } = testCetCpu(FULL);
    expect(cpu.setssbsy(IP).ok).toBe(true);
    const stack: bigint[] = [];
    expect(cpu.call(ImageAddress.DISPATCH, ImageAddress.ENTRY_RETURN_SITE, stack).ok).toBe(true);
    expect(cpu.peekShadow(SHADOW_STACK_TOP - 8n)).toBe(ImageAddress.ENTRY_RETURN_SITE);
    stack[0] = ImageAddress.GADGET;
    const exception = exceptionOf(cpu.ret(stack, ImageAddress.DISPATCH_RET));
    expect(exception).toMatchObject({ vector: 21, mnemonic: "#CP", cause: "NEAR_RET", errorCode: 1, ip: ImageAddress.DISPATCH_RET });
  });

  it("a matching return passes and pops both stacks", () => {
    const { cpu } = testCetCpu(FULL);
    cpu.setssbsy(IP);
    const stack: bigint[] = [];
    cpu.call(ImageAddress.DISPATCH, ImageAddress.ENTRY_RETURN_SITE, stack);
    const returned = cpu.ret(stack, ImageAddress.DISPATCH_RET);
    expect(returned).toEqual({ ok: true, value: ImageAddress.ENTRY_RETURN_SITE });
    expect(cpu.ssp).toBe(SHADOW_STACK_TOP);
  });

  it("FAR_RET_IRET: a far return whose CS:IP differs from the shadow stack", () => {
    const { cpu } = testCetCpu(FULL);
    cpu.setssbsy(IP);
    const stack: bigint[] = [];
    expect(cpu.farCall(ImageAddress.DISPATCH, 0x8n, ImageAddress.ENTRY_RETURN_SITE, stack).ok).toBe(true);
    expect(cpu.ssp).toBe(SHADOW_STACK_TOP - 24n);
    const good = [...stack];
    expect(cpu.farReturn(good, IP)).toEqual({ ok: true, value: ImageAddress.ENTRY_RETURN_SITE });
    expect(cpu.ssp).toBe(SHADOW_STACK_TOP);
    cpu.farCall(ImageAddress.DISPATCH, 0x8n, ImageAddress.ENTRY_RETURN_SITE, stack);
    stack[stack.length - 1] = ImageAddress.GADGET;
    expect(exceptionOf(cpu.farReturn(stack, IP))).toMatchObject({ cause: "FAR_RET_IRET", errorCode: 2 });
  });

  it("ENDBRANCH: an indirect call to a target without ENDBR64", () => {
    const { cpu } = testCetCpu(FULL);
    cpu.setssbsy(IP);
    const exception = exceptionOf(cpu.callIndirect(ImageAddress.GADGET, IP, []));
    expect(exception).toMatchObject({ cause: "ENDBRANCH", errorCode: 3, ip: ImageAddress.GADGET });
    expect(cpu.sCet & CetControl.TRACKER).toBe(CetControl.TRACKER);
  });

  it("an indirect call to an ENDBR64 landing pad passes and leaves the tracker IDLE", () => {
    const { cpu } = testCetCpu(FULL);
    cpu.setssbsy(IP);
    expect(cpu.callIndirect(ImageAddress.HANDLER, IP, []).ok).toBe(true);
    expect(cpu.sCet & CetControl.TRACKER).toBe(0n);
  });

  it("NOTRACK indirect jumps skip the check while NO_TRACK_EN is set (gcc switch tables)", () => {
    const { cpu } = testCetCpu(FULL);
    expect(cpu.jumpIndirect(ImageAddress.GADGET, { notrack: true }).ok).toBe(true);
    expect(exceptionOf(cpu.jumpIndirect(ImageAddress.GADGET))).toMatchObject({ errorCode: 3 });
  });

  it("RSTORSSP: a valid restore token switches SSP and leaves a previous-SSP token; a bad one is #CP(4)", () => {
    const { cpu, page } = testCetCpu(FULL);
    cpu.setssbsy(IP);
    const slot = SHADOW_STACK_TOP - 0x100n;
    page.memory.write64(page.frame + (slot - (SHADOW_STACK_TOP - 0xff8n)), restoreToken(slot + 8n, true));
    expect(cpu.rstorssp(slot, IP).ok).toBe(true);
    expect(cpu.ssp).toBe(slot);
    expect(cpu.peekShadow(slot)).toBe(SHADOW_STACK_TOP | 3n);
    // the token was consumed: a second RSTORSSP finds a previous-SSP token
    expect(exceptionOf(cpu.rstorssp(slot, IP))).toMatchObject({ cause: "RSTORSSP", errorCode: 4 });
    // a restore token for another address
    page.memory.write64(page.frame + 0x800n, restoreToken(0x1234_5000n, true));
    expect(exceptionOf(cpu.rstorssp(SHADOW_STACK_TOP - 0xff8n + 0x800n, IP))).toMatchObject({ errorCode: 4 });
  });

  it("SETSSBSY: a busy token is #CP(5)", () => {
    const { cpu } = testCetCpu(FULL);
    expect(cpu.setssbsy(IP).ok).toBe(true);
    expect(exceptionOf(cpu.setssbsy(IP))).toMatchObject({ cause: "SETSSBSY", errorCode: 5 });
  });
});

describe("token busy bit (cet.md §4.4: SETSSBSY / CLRSSBSY)", () => {
  it("SETSSBSY marks the free token busy and loads SSP from IA32_PL0_SSP", () => {
    const { cpu } = testCetCpu(FULL);
    expect(cpu.peekShadow(SHADOW_STACK_TOP)).toBe(SHADOW_STACK_TOP);
    expect(cpu.setssbsy(IP).ok).toBe(true);
    expect(cpu.peekShadow(SHADOW_STACK_TOP)).toBe(SHADOW_STACK_TOP | 1n);
    expect(cpu.ssp).toBe(SHADOW_STACK_TOP);
  });

  it("CLRSSBSY frees a busy token, clears CF and SSP", () => {
    const { cpu } = testCetCpu(FULL);
    cpu.setssbsy(IP);
    expect(cpu.clrssbsy(SHADOW_STACK_TOP, IP)).toEqual({ ok: true, value: { carry: false } });
    expect(cpu.peekShadow(SHADOW_STACK_TOP)).toBe(SHADOW_STACK_TOP);
    expect(cpu.ssp).toBe(0n);
  });

  it("CLRSSBSY on a token that is not busy sets CF, changes nothing and still clears SSP", () => {
    const { cpu } = testCetCpu(FULL);
    cpu.ssp = 0x1000n;
    expect(cpu.clrssbsy(SHADOW_STACK_TOP, IP)).toEqual({ ok: true, value: { carry: true } });
    expect(cpu.peekShadow(SHADOW_STACK_TOP)).toBe(SHADOW_STACK_TOP);
    expect(cpu.ssp).toBe(0n);
  });

  it("SETSSBSY with a misaligned IA32_PL0_SSP is #GP, and #UD without SH_STK_EN", () => {
    const { cpu } = testCetCpu(FULL);
    cpu.state.msrs.set(CetMsr.IA32_PL0_SSP, SHADOW_STACK_TOP + 4n);
    expect(exceptionOf(cpu.setssbsy(IP)).vector).toBe(13);
    const ibtOnly = testCetCpu({ ibt: true, sss: false }).cpu;
    expect(exceptionOf(ibtOnly.setssbsy(IP)).mnemonic).toBe("#UD");
    expect(exceptionOf(ibtOnly.clrssbsy(SHADOW_STACK_TOP, IP)).mnemonic).toBe("#UD");
  });

  it("a shadow-stack access outside a shadow-stack page is #PF with the SS bit", () => {
    const { cpu } = testCetCpu(FULL);
    cpu.state.msrs.set(CetMsr.IA32_PL0_SSP, 0xffff_ffff_bfff_c000n);
    expect(exceptionOf(cpu.setssbsy(IP))).toMatchObject({ vector: 14, errorCode: 1 << 6 });
  });

  it("unwinding to the token and IRET to user release it (Cet::sss_unwind)", () => {
    const { cpu } = testCetCpu(FULL);
    cpu.setssbsy(IP);
    const stack: bigint[] = [];
    cpu.call(ImageAddress.DISPATCH, ImageAddress.ENTRY_RETURN_SITE, stack);
    cpu.call(ImageAddress.HANDLER, ImageAddress.DISPATCH_RETURN_SITE, stack);
    expect(cpu.ssp).toBe(SHADOW_STACK_TOP - 16n);
    expect(cpu.unwindToToken(IP).ok).toBe(true);
    expect(cpu.ssp).toBe(SHADOW_STACK_TOP);
    expect(cpu.iretToUser(IP).ok).toBe(true);
    expect(cpu.peekShadow(SHADOW_STACK_TOP)).toBe(SHADOW_STACK_TOP);
    expect(cpu.setssbsy(IP).ok).toBe(true);
  });
});

describe("without CET the same corruption goes through", () => {
  it("no shadow-stack compare and no tracker when S_CET is 0", () => {
    const { cpu } = testCetCpu({ ibt: false, sss: false });
    const stack: bigint[] = [];
    cpu.call(ImageAddress.DISPATCH, ImageAddress.ENTRY_RETURN_SITE, stack);
    stack[0] = ImageAddress.GADGET;
    expect(cpu.ret(stack, IP)).toEqual({ ok: true, value: ImageAddress.GADGET });
    expect(cpu.callIndirect(ImageAddress.GADGET, IP, []).ok).toBe(true);
    expect(cpu.rdssp()).toBe(0n);
  });

  it("S_CET bits do nothing while CR4.CET is clear", () => {
    const { cpu } = testCetCpu(FULL);
    cpu.setssbsy(IP);
    cpu.state.controlRegisters.set("CR4", 0n);
    expect(cpu.shadowStacksOn).toBe(false);
    expect(cpu.branchTrackingOn).toBe(false);
    expect(cpu.callIndirect(ImageAddress.GADGET, IP, []).ok).toBe(true);
  });
});
