import { NovakitError, type CpuState } from "@novakit/kernel-core";
import { CetDiagnostic } from "../cet-diagnostics.js";
import { CET_CONTROL_RESERVED, CetMsr } from "./cet-registers.js";

/**
 * WRMSR to IA32_S_CET or IA32_U_CET. Reserved bits 9:6 set would #GP on hardware (cet.md §8,
 * [unconfirmed]); the model refuses the write with NK-CET-055 instead of storing a value no CPU holds.
 */
export function writeCetControl(state: CpuState, msr: typeof CetMsr.IA32_S_CET | typeof CetMsr.IA32_U_CET, value: bigint): void {
  const masked = BigInt.asUintN(64, value);
  if ((masked & CET_CONTROL_RESERVED) !== 0n) {
    throw new NovakitError(
      CetDiagnostic.RESERVED_CET_BITS,
      `CPU ${state.cpu.index}: 0x${masked.toString(16)} sets reserved bits 9:6 of MSR 0x${msr.toString(16)} (#GP on hardware)`,
      { field: `msr 0x${msr.toString(16)}` },
    );
  }
  state.msrs.set(msr, masked);
}
