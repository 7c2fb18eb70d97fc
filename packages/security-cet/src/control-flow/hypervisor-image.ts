import { NovakitError } from "@novakit/kernel-core";
import { CetDiagnostic } from "../cet-diagnostics.js";
import type { CfpProtections } from "../gating/cfp-protections.js";
import type { CodeMemory } from "./code-memory.js";
import { hex } from "./cpu-exception.js";
import { ENDBR64 } from "./ibt-tracker.js";

/** A piece of modelled hypervisor code: where it starts and its first instruction bytes. */
export interface CodeSymbol {
  readonly name: string;
  readonly address: bigint;
  readonly size: bigint;
  readonly bytes: Uint8Array;
}

/**
 * Addresses of the modelled code, in the kernel half of the address space. They are the model's
 * own (NOVA's real layout comes from its linker script); what matters is which ones start with
 * ENDBR64, and that follows gcc's rule for IBT builds (cet.md §6): every function reached
 * indirectly (the SYSCALL entry, IDT stubs, the hypercall handlers in the dispatch table) gets
 * ENDBR64, a spot inside a function never does.
 */
export const ImageAddress = {
  SYSCALL_ENTRY: 0xffff_ffff_8010_0000n,
  /** the instruction after `call dispatch` in the entry: where dispatch returns to */
  ENTRY_RETURN_SITE: 0xffff_ffff_8010_0045n,
  DISPATCH: 0xffff_ffff_8010_1000n,
  /** the `ret` of dispatch */
  DISPATCH_RET: 0xffff_ffff_8010_10c0n,
  /** the hypercall handler the table entry names (ctrl_sc here) */
  HANDLER: 0xffff_ffff_8010_2000n,
  /** the `ret` of the handler */
  HANDLER_RET: 0xffff_ffff_8010_2080n,
  /** where the handler returns to inside dispatch */
  DISPATCH_RETURN_SITE: 0xffff_ffff_8010_1031n,
  /** a "write-what-where; ret" sequence 0x2b bytes into another function: the attacker's gadget */
  GADGET: 0xffff_ffff_8010_302bn,
} as const;

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
/** push %rbp; mov %rsp,%rbp: a function start without a landing pad */
const PLAIN_PROLOGUE = [0x55, 0x48, 0x89, 0xe5];
/** mov %rax,(%rdi); ret: what the gadget does */
const GADGET_BYTES = [0x48, 0x89, 0x07, 0xc3];

/**
 * The hypervisor image of one CFP build: the functions of the hypercall path, each with the first
 * bytes a build at that level puts there, and the gadget (never a landing pad).
 */
export class HypervisorImage implements CodeMemory {
  readonly symbols: readonly CodeSymbol[];

  constructor(readonly built: CfpProtections) {
    const entryPrologue = built.ibt ? [...ENDBR64, ...PLAIN_PROLOGUE] : PLAIN_PROLOGUE;
    this.symbols = [
      { name: "syscall_entry", address: ImageAddress.SYSCALL_ENTRY, size: 0x80n, bytes: bytes(...entryPrologue) },
      { name: "dispatch", address: ImageAddress.DISPATCH, size: 0x100n, bytes: bytes(...entryPrologue) },
      { name: "sys_ctrl_sc", address: ImageAddress.HANDLER, size: 0x100n, bytes: bytes(...entryPrologue) },
      { name: "gadget (inside Space_hst::update)", address: ImageAddress.GADGET, size: 0x4n, bytes: bytes(...GADGET_BYTES) },
    ];
  }

  symbolAt(address: bigint): CodeSymbol | undefined {
    return this.symbols.find((symbol) => address >= symbol.address && address < symbol.address + symbol.size);
  }

  /** Bytes at `address`: a symbol's own bytes at its start, a plain instruction elsewhere inside it. */
  instructionAt(address: bigint): Uint8Array {
    const symbol = this.symbolAt(address);
    if (symbol === undefined) {
      throw new NovakitError(CetDiagnostic.NO_CODE_AT_ADDRESS, `no modelled hypervisor code at ${hex(address)}`, { field: "control-flow model" });
    }
    return address === symbol.address ? symbol.bytes : bytes(0x90, 0x90, 0x90, 0x90);
  }

  describe(address: bigint): string {
    const symbol = this.symbolAt(address);
    if (symbol === undefined) return hex(address);
    const offset = address - symbol.address;
    return offset === 0n ? `${symbol.name} (${hex(address)})` : `${symbol.name}+${hex(offset)} (${hex(address)})`;
  }
}
