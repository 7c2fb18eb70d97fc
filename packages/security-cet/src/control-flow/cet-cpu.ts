import { NovakitError, type CpuState } from "@novakit/kernel-core";
import { CetDiagnostic } from "../cet-diagnostics.js";
import { CetControl, CetMsr, CR4_CET } from "../msr/cet-registers.js";
import { SHADOW_STACK_TOP } from "../shadow-stack/shadow-stack-layout.js";
import { tableInput, type ShadowStackPage } from "../shadow-stack/shadow-stack-page.js";
import { busyToken, freeToken, isTokenAligned, previousSspToken, restoreToken, tokenState } from "../shadow-stack/supervisor-token.js";
import type { CodeMemory } from "./code-memory.js";
import { controlProtection, done, DONE, hex, PageFaultError, raised, type CpuException, type Step } from "./cpu-exception.js";
import { armTracker, checkLandingPad, type IndirectBranch } from "./ibt-tracker.js";

/** Kernel code segment selector the far-transfer frames carry (NOVA's GDT: SEL_KERN_CODE = 0x8). */
export const KERNEL_CS = 0x8n;

/**
 * One CPU executing hypervisor code under CET, at supervisor privilege in 64-bit mode
 * (reference/cet.md §3, §4). Every control bit is read from the CPU's own CR4 and IA32_S_CET as
 * the cpu phase programmed them, the tracker lives in S_CET.TRACKER, and the shadow stack is real
 * memory: pushes and pops go through the CPU-local page table to the shadow-stack frame, and only a
 * page mapped as a shadow-stack page accepts them.
 *
 * The data stack is the caller's array of return addresses (what an attacker overwrites).
 */
export class CetCpu {
  /** the shadow-stack pointer register */
  ssp = 0n;

  constructor(
    readonly state: CpuState,
    private readonly code: CodeMemory,
    private readonly shadowStack: ShadowStackPage | undefined,
  ) {}

  get sCet(): bigint {
    return this.state.msrs.get(CetMsr.IA32_S_CET) ?? 0n;
  }

  private set sCet(value: bigint) {
    this.state.msrs.set(CetMsr.IA32_S_CET, value);
  }

  get cetEnabled(): boolean {
    return ((this.state.controlRegisters.get("CR4") ?? 0n) & CR4_CET) !== 0n;
  }

  get shadowStacksOn(): boolean {
    return this.cetEnabled && (this.sCet & CetControl.SH_STK_EN) !== 0n;
  }

  get branchTrackingOn(): boolean {
    return this.cetEnabled && (this.sCet & CetControl.ENDBR_EN) !== 0n;
  }

  // ------------------------------------------------------------------ shadow-stack memory

  /** A shadow-stack access: only a shadow-stack page (R/W=0, D=1) takes it, else #PF with SS set (cet.md §4.3). */
  private shadowAccess(linear: bigint, write: boolean, ip: bigint): Step<bigint> {
    const writeBit = write ? PageFaultError.W : 0;
    const page = this.shadowStack;
    const translation = page?.table.lookup(tableInput(page.table, linear));
    if (translation === undefined) {
      return raised({ vector: 14, mnemonic: "#PF", errorCode: writeBit | PageFaultError.SS, address: linear, ip, detail: `shadow-stack access to unmapped ${hex(linear)}` });
    }
    if (!translation.attributes.shadowStack) {
      return raised({
        vector: 14,
        mnemonic: "#PF",
        errorCode: PageFaultError.P | writeBit | PageFaultError.SS,
        address: linear,
        ip,
        detail: `shadow-stack access to ${hex(linear)}, which is not a shadow-stack page`,
      });
    }
    return done(translation.outputAddress);
  }

  private shadowRead(linear: bigint, ip: bigint): Step<bigint> {
    const physical = this.shadowAccess(linear, false, ip);
    return physical.ok ? done((this.shadowStack as ShadowStackPage).memory.read64(physical.value)) : physical;
  }

  private shadowWrite(linear: bigint, value: bigint, ip: bigint): Step {
    const physical = this.shadowAccess(linear, true, ip);
    if (!physical.ok) return physical;
    (this.shadowStack as ShadowStackPage).memory.write64(physical.value, value);
    return DONE;
  }

  /** The word at a shadow-stack address, for tests and the boot log (no access checks). */
  peekShadow(linear: bigint): bigint | undefined {
    const page = this.shadowStack;
    const translation = page?.table.lookup(tableInput(page.table, linear));
    return translation === undefined ? undefined : (this.shadowStack as ShadowStackPage).memory.read64(translation.outputAddress);
  }

  private push(value: bigint, ip: bigint): Step {
    const next = this.ssp - 8n;
    const written = this.shadowWrite(next, value, ip);
    if (written.ok) this.ssp = next;
    return written;
  }

  private pop(ip: bigint): Step<bigint> {
    const value = this.shadowRead(this.ssp, ip);
    if (value.ok) this.ssp += 8n;
    return value;
  }

  // ------------------------------------------------------------------ IBT

  /** Execute the first instruction at `target` under the tracker; #CP(ENDBRANCH) when it must be ENDBR64 and is not. */
  private land(target: bigint, how: string): Step {
    if (!this.branchTrackingOn) return DONE;
    const check = checkLandingPad(this.sCet, this.code.instructionAt(target), { mode64: true, legacyPage: false });
    this.sCet = check.sCet;
    if (!check.fault) return DONE;
    return raised(controlProtection("ENDBRANCH", target, `${how} to ${hex(target)}, which does not start with ENDBR64`));
  }

  private arm(branch: IndirectBranch): void {
    if (this.branchTrackingOn) this.sCet = armTracker(this.sCet, branch);
  }

  // ------------------------------------------------------------------ control transfers

  /** Near direct CALL: return address onto the data stack and, with shadow stacks, the shadow stack. */
  call(target: bigint, returnAddress: bigint, dataStack: bigint[]): Step {
    dataStack.push(returnAddress);
    if (this.shadowStacksOn) {
      const pushed = this.push(returnAddress, target);
      if (!pushed.ok) return pushed;
    }
    return this.land(target, "call");
  }

  /** Near indirect CALL (register or memory operand): a CALL that also arms the tracker. */
  callIndirect(target: bigint, returnAddress: bigint, dataStack: bigint[], branch: IndirectBranch = { notrack: false }): Step {
    dataStack.push(returnAddress);
    if (this.shadowStacksOn) {
      const pushed = this.push(returnAddress, target);
      if (!pushed.ok) return pushed;
    }
    this.arm(branch);
    return this.land(target, `${branch.notrack ? "notrack " : ""}indirect call`);
  }

  /** Near indirect JMP. */
  jumpIndirect(target: bigint, branch: IndirectBranch = { notrack: false }): Step {
    this.arm(branch);
    return this.land(target, `${branch.notrack ? "notrack " : ""}indirect jump`);
  }

  /**
   * Near RET at `ip`: pops the data stack and, with shadow stacks, the shadow stack; a mismatch is
   * #CP(NEAR_RET) (cet.md §4.1). The value is where execution continues.
   */
  ret(dataStack: bigint[], ip: bigint): Step<bigint> {
    const target = dataStack.pop();
    if (target === undefined) return raised({ vector: 13, mnemonic: "#GP", errorCode: 0, ip, detail: "RET with an empty data stack" });
    if (!this.shadowStacksOn) return done(target);
    const shadow = this.pop(ip);
    if (!shadow.ok) return shadow;
    if (shadow.value !== target) {
      return raised(controlProtection("NEAR_RET", ip, `return address ${hex(target)} on the stack differs from ${hex(shadow.value)} on the shadow stack`));
    }
    return done(target);
  }

  /**
   * A same-privilege far CALL or interrupt: with shadow stacks it pushes CS, the linear return
   * address and the previous SSP (8-byte aligned; cet.md §4.1, push order [unconfirmed]).
   */
  farCall(target: bigint, cs: bigint, returnAddress: bigint, dataStack: bigint[]): Step {
    dataStack.push(cs, returnAddress);
    if (this.shadowStacksOn) {
      const previous = this.ssp;
      this.ssp &= ~7n;
      for (const value of [cs, returnAddress, previous]) {
        const pushed = this.push(value, target);
        if (!pushed.ok) return pushed;
      }
    }
    this.arm({ notrack: false });
    return this.land(target, "far call");
  }

  /** Far RET / IRET at the same privilege: CS and return address must match the shadow stack, else #CP(FAR_RET/IRET). */
  farReturn(dataStack: bigint[], ip: bigint): Step<bigint> {
    const returnAddress = dataStack.pop();
    const cs = dataStack.pop();
    if (returnAddress === undefined || cs === undefined) return raised({ vector: 13, mnemonic: "#GP", errorCode: 0, ip, detail: "far return with an empty data stack" });
    if (!this.shadowStacksOn) return done(returnAddress);
    const previous = this.pop(ip);
    if (!previous.ok) return previous;
    const shadowReturn = this.pop(ip);
    if (!shadowReturn.ok) return shadowReturn;
    const shadowCs = this.pop(ip);
    if (!shadowCs.ok) return shadowCs;
    if (shadowCs.value !== cs || shadowReturn.value !== returnAddress) {
      return raised(
        controlProtection("FAR_RET_IRET", ip, `far return to ${hex(cs)}:${hex(returnAddress)} differs from ${hex(shadowCs.value)}:${hex(shadowReturn.value)} on the shadow stack`),
      );
    }
    this.ssp = previous.value;
    return done(returnAddress);
  }

  // ------------------------------------------------------------------ privilege transitions

  /**
   * SYSCALL from user mode: no shadow-stack switch, the user SSP goes to IA32_PL3_SSP and SSP
   * becomes 0 (cet.md §4.1); the supervisor tracker is armed, so the entry must be ENDBR64 (§3).
   */
  syscall(entry: bigint): Step {
    this.state.msrs.set(CetMsr.IA32_PL3_SSP, this.ssp);
    this.ssp = 0n;
    this.arm({ notrack: false });
    return this.land(entry, "SYSCALL");
  }

  /**
   * NOVA's way out of the kernel to user mode by SYSRET (ret_user_sysexit, cet.md §7 step 4):
   * Cet::sss_deactivate = CLRSSBSY on SSTK_TOP (the token is free again), then SYSRETQ. Boot leaves
   * the token busy (SETSSBSY in the start code); this is how the first user EC finds it free.
   */
  exitToUserBySysret(ip: bigint): Step {
    if (this.shadowStacksOn) {
      const released = this.clrssbsy(SHADOW_STACK_TOP, ip);
      if (!released.ok) return released;
    }
    this.sysret();
    return DONE;
  }

  /** SYSRET: SSP from IA32_PL3_SSP. */
  sysret(): void {
    this.ssp = this.state.msrs.get(CetMsr.IA32_PL3_SSP) ?? 0n;
  }

  // ------------------------------------------------------------------ shadow-stack instructions (cet.md §4.4)

  private needsShadowStacks(mnemonic: string, ip: bigint): Step {
    if (this.shadowStacksOn) return DONE;
    return raised({ vector: 6, mnemonic: "#UD", ip, detail: `${mnemonic} with CR4.CET or IA32_S_CET.SH_STK_EN clear` });
  }

  /** SETSSBSY: the token at IA32_PL0_SSP must be free; it becomes busy and SSP := IA32_PL0_SSP, else #CP(SETSSBSY). */
  setssbsy(ip: bigint): Step {
    const enabled = this.needsShadowStacks("SETSSBSY", ip);
    if (!enabled.ok) return enabled;
    const address = this.state.msrs.get(CetMsr.IA32_PL0_SSP) ?? 0n;
    if (!isTokenAligned(address)) return raised({ vector: 13, mnemonic: "#GP", errorCode: 0, ip, detail: `SETSSBSY: IA32_PL0_SSP ${hex(address)} is not 8-byte aligned` });
    const token = this.shadowRead(address, ip);
    if (!token.ok) return token;
    const state = tokenState(token.value, address);
    if (state !== "free") {
      return raised(controlProtection("SETSSBSY", ip, `SETSSBSY: the supervisor token at ${hex(address)} is ${state} (${hex(token.value)})`));
    }
    const written = this.shadowWrite(address, busyToken(address), ip);
    if (!written.ok) return written;
    this.ssp = address;
    return DONE;
  }

  /** CLRSSBSY m64: a busy token at m64 becomes free (value: CF = false); an invalid one stays (CF = true). SSP := 0 always. */
  clrssbsy(address: bigint, ip: bigint): Step<{ readonly carry: boolean }> {
    const enabled = this.needsShadowStacks("CLRSSBSY", ip);
    if (!enabled.ok) return enabled;
    if (!isTokenAligned(address)) return raised({ vector: 13, mnemonic: "#GP", errorCode: 0, ip, detail: `CLRSSBSY: ${hex(address)} is not 8-byte aligned` });
    const token = this.shadowRead(address, ip);
    if (!token.ok) return token;
    const busy = tokenState(token.value, address) === "busy";
    if (busy) {
      const written = this.shadowWrite(address, freeToken(address), ip);
      if (!written.ok) return written;
    }
    this.ssp = 0n;
    return done({ carry: !busy });
  }

  /**
   * RSTORSSP m64: the restore token at m64 must name the SSP just above it, bit 1 = 0 and the
   * 64-bit mode bit set; it is replaced by a previous-SSP token of the old SSP and SSP := m64.
   * Anything else is #CP(RSTORSSP) (cet.md §4.4).
   */
  rstorssp(address: bigint, ip: bigint): Step {
    const enabled = this.needsShadowStacks("RSTORSSP", ip);
    if (!enabled.ok) return enabled;
    const token = this.shadowRead(address, ip);
    if (!token.ok) return token;
    if (token.value !== restoreToken(address + 8n, true)) {
      return raised(controlProtection("RSTORSSP", ip, `RSTORSSP: ${hex(token.value)} at ${hex(address)} is not a 64-bit restore token for it`));
    }
    const written = this.shadowWrite(address, previousSspToken(this.ssp, true), ip);
    if (!written.ok) return written;
    this.ssp = address;
    return DONE;
  }

  /** INCSSPQ n: pops n entries without checking them (cet.md §4.4; the low 8 bits of n). */
  incssp(count: number, ip: bigint): Step {
    const enabled = this.needsShadowStacks("INCSSPQ", ip);
    if (!enabled.ok) return enabled;
    this.ssp += BigInt(count & 0xff) * 8n;
    return DONE;
  }

  /** RDSSPQ; a NOP (0) without shadow stacks (cet.md §4.4). */
  rdssp(): bigint {
    return this.shadowStacksOn ? this.ssp : 0n;
  }

  /**
   * NOVA's Cet::sss_unwind (cet.md §7 step 4): RDSSPQ, (SSTK_TOP - SSP) / 8 entries, INCSSPQ, so
   * SSP points at the token again; in chunks of 255, INCSSPQ's limit.
   */
  unwindToToken(ip: bigint): Step {
    const ssp = this.rdssp();
    // SSP 0: no supervisor shadow stack is active (before SETSSBSY, or after CLRSSBSY)
    if (ssp === 0n || ssp > SHADOW_STACK_TOP) return DONE;
    let entries = Number((SHADOW_STACK_TOP - ssp) / 8n);
    while (entries > 0) {
      const chunk = Math.min(entries, 0xff);
      const popped = this.incssp(chunk, ip);
      if (!popped.ok) return popped;
      entries -= chunk;
    }
    return DONE;
  }

  /** IRET to user from the token: releases the busy token at SSP and loads SSP from IA32_PL3_SSP (cet.md §4.1). */
  iretToUser(ip: bigint): Step {
    if (this.shadowStacksOn && this.ssp !== 0n) {
      const token = this.shadowRead(this.ssp, ip);
      if (!token.ok) return token;
      if (tokenState(token.value, this.ssp) === "busy") {
        const written = this.shadowWrite(this.ssp, freeToken(this.ssp), ip);
        if (!written.ok) return written;
      }
    }
    this.ssp = this.state.msrs.get(CetMsr.IA32_PL3_SSP) ?? 0n;
    return DONE;
  }
}

/** NK-CET-056: the model was asked about a CPU the cpu phase never initialised. */
export function cpuNotInitialised(cpu: number): NovakitError {
  return new NovakitError(CetDiagnostic.CPU_NOT_INITIALISED, `CPU ${cpu} has no CET state: the cpu phase has not initialised it`, { field: `cpu ${cpu}` });
}

export type { CpuException };
