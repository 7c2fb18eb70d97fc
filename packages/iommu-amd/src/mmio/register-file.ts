import { CONTROL_WRITABLE_MASK } from "./control-bits.js";
import { EfrBit } from "./efr-bits.js";
import { IommuMmio } from "./mmio-offsets.js";
import { STATUS_W1C_MASK } from "./status-bits.js";
import {
  BASE_ADDRESS_MASK,
  DEV_TBL_BASE_WRITABLE_MASK,
  EXCL_BASE_WRITABLE_MASK,
  EXCL_LIMIT_FIXED_ONES,
  RING_BASE_WRITABLE_MASK,
  RING_POINTER_MASK,
} from "./base-registers.js";

/** How software sees one 64-bit register: which bits it may write, which are W1C, which read as 1. */
interface RegisterSpec {
  readonly writable: bigint;
  readonly writeOneToClear: bigint;
  readonly fixedOnes: bigint;
}

/** x2APIC ICR (§2.2): 2 dest mode, 31:8 dest[23:0], 39:32 vector, 40 delivery mode, 63:56 dest[31:24] */
const XT_ICR_WRITABLE_MASK = (1n << 2n) | (0xff_ffffn << 8n) | (0xffn << 32n) | (1n << 40n) | (0xffn << 56n);
/** PERF_OPT_CTRL bit 13 (PerfOptEn) lives in the upper half of the qword at 0168h */
const PERF_OPT_EN_IN_QWORD = 1n << (13n + 32n);
const PERF_OPT_QWORD = IommuMmio.PERF_OPT_CTRL & ~7;

const READ_ONLY: RegisterSpec = { writable: 0n, writeOneToClear: 0n, fixedOnes: 0n };

function writableSpec(writable: bigint, fixedOnes = 0n): RegisterSpec {
  return { writable, writeOneToClear: 0n, fixedOnes };
}

/**
 * The software-visible storage of one IOMMU's registers, as 64-bit qwords keyed by their 8-byte
 * aligned offset, with hardware's masks applied on every software write (reference/amd-iommu.md
 * §2.2-§2.5): reserved and read-only bits keep their value, W1C bits clear where a 1 is written,
 * EXCL_LIMIT bits 11:0 read as ones. Side effects of a write (queues, run bits) belong to the unit;
 * hardware-owned state (Status run bits, queue pointers) changes through `setHardware`.
 */
export class IommuRegisterFile {
  private readonly values = new Map<number, bigint>();
  private readonly specs: ReadonlyMap<number, RegisterSpec>;

  constructor(efr: bigint, efr2: bigint) {
    const perfOptSupported = (efr & EfrBit.PERF_OPT_SUP) !== 0n;
    this.specs = new Map<number, RegisterSpec>([
      [IommuMmio.DEV_TBL_BASE, writableSpec(DEV_TBL_BASE_WRITABLE_MASK)],
      [IommuMmio.CMD_BUF_BASE, writableSpec(RING_BASE_WRITABLE_MASK)],
      [IommuMmio.EVT_LOG_BASE, writableSpec(RING_BASE_WRITABLE_MASK)],
      [IommuMmio.CONTROL, writableSpec(CONTROL_WRITABLE_MASK)],
      [IommuMmio.EXCL_BASE, writableSpec(EXCL_BASE_WRITABLE_MASK)],
      [IommuMmio.EXCL_LIMIT, writableSpec(BASE_ADDRESS_MASK, EXCL_LIMIT_FIXED_ONES)],
      [IommuMmio.EFR, READ_ONLY],
      // without EFR.PerfOptSup the register is reserved: reads 0, writes ignored (§7.1 bit 45)
      [PERF_OPT_QWORD, writableSpec(perfOptSupported ? PERF_OPT_EN_IN_QWORD : 0n)],
      [IommuMmio.XT_GEN_INT_CTRL, writableSpec(XT_ICR_WRITABLE_MASK)],
      [IommuMmio.XT_PPR_INT_CTRL, writableSpec(XT_ICR_WRITABLE_MASK)],
      [IommuMmio.XT_GALOG_INT_CTRL, writableSpec(XT_ICR_WRITABLE_MASK)],
      [IommuMmio.EFR2, READ_ONLY],
      [IommuMmio.CMD_HEAD, writableSpec(RING_POINTER_MASK)],
      [IommuMmio.CMD_TAIL, writableSpec(RING_POINTER_MASK)],
      [IommuMmio.EVT_HEAD, writableSpec(RING_POINTER_MASK)],
      [IommuMmio.EVT_TAIL, writableSpec(RING_POINTER_MASK)],
      [IommuMmio.STATUS, { writable: 0n, writeOneToClear: STATUS_W1C_MASK, fixedOnes: 0n }],
    ]);
    this.values.set(IommuMmio.EFR, efr);
    this.values.set(IommuMmio.EFR2, efr2);
  }

  /** true when the qword at this 8-byte aligned offset is a register the model implements */
  implements(qwordOffset: number): boolean {
    return this.specs.has(qwordOffset);
  }

  /** what software reads from the qword at `qwordOffset` (0 for unimplemented registers) */
  read(qwordOffset: number): bigint {
    const spec = this.specs.get(qwordOffset);
    if (spec === undefined) return 0n;
    return (this.values.get(qwordOffset) ?? 0n) | spec.fixedOnes;
  }

  /**
   * A software write of `value` to the bits selected by `byteLanes` (all ones for a 64-bit access,
   * one half for a 32-bit access): writable bits take the new value, W1C bits clear where a 1 was
   * written, everything else keeps its value. Returns false for an unimplemented register.
   */
  write(qwordOffset: number, value: bigint, byteLanes: bigint): boolean {
    const spec = this.specs.get(qwordOffset);
    if (spec === undefined) return false;
    const old = this.values.get(qwordOffset) ?? 0n;
    const written = value & byteLanes;
    const writable = spec.writable & byteLanes;
    let next = (old & ~writable) | (written & writable);
    next &= ~(written & spec.writeOneToClear);
    this.values.set(qwordOffset, next);
    return true;
  }

  /** the stored value without fixed-one bits (what the hardware itself uses) */
  raw(qwordOffset: number): bigint {
    return this.values.get(qwordOffset) ?? 0n;
  }

  /** hardware-side update (Status bits, queue pointers): no software masks apply */
  setHardware(qwordOffset: number, value: bigint): void {
    this.values.set(qwordOffset, value);
  }
}
