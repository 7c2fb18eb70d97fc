/** What the control-flow model fetches: the first bytes of the instruction at a linear address. */
export interface CodeMemory {
  /** at least 4 bytes (enough to tell ENDBR64/ENDBR32 apart from anything else) */
  instructionAt(address: bigint): Uint8Array;
}
