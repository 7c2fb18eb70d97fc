import { parseSdtHeader, type SdtHeader } from "./sdt-header.js";

/**
 * TPM2 table (TCG ACPI specification; ACPICA actbl3.h). Revision 3 (`struct acpi_table_tpm23`)
 * has a reserved u32 at 36; revision 4 (`struct acpi_table_tpm2`) has platform class u16 at 36
 * and reserved u16 at 38. Both: 40 control area address u64, 48 start method u32, then
 * start-method-specific parameters (12 bytes in revision 4), then optional log area minimum
 * length u32 at 64 and log area start address u64 at 68 (when the table is >= 76 bytes).
 */
export interface Tpm2 {
  readonly header: SdtHeader;
  /** revision 4 and later only: revision 3 has a reserved word there */
  readonly platformClass?: number;
  readonly controlAreaAddress: bigint;
  readonly startMethod: number;
  /** interface name of the start method; "unknown" for reserved values (never guessed) */
  readonly interfaceName: string;
  readonly logAreaMinimumLength?: number;
  readonly logAreaStartAddress?: bigint;
}

/** Start-method values (ACPICA actbl3.h ACPI_TPM2_*). */
const START_METHODS: ReadonlyMap<number, string> = new Map([
  [2, "acpi-start"],
  [6, "tis"], // memory-mapped FIFO/TIS interface
  [7, "crb"], // command response buffer
  [8, "crb-acpi-start"],
  [11, "crb-arm-smc"],
  [13, "crb-pluton"],
  [15, "crb-arm-ffa"],
]);

export function tpm2InterfaceName(startMethod: number): string {
  return START_METHODS.get(startMethod) ?? "unknown";
}

/**
 * The TIS (FIFO) register block of locality 0 lives at this fixed address on PC-client
 * platforms (TCG PC Client Platform TPM Profile); the TPM2 table's control-area field is 0 for
 * such TPMs, so the interface address is this one.
 */
export const TPM_TIS_BASE_ADDRESS = 0xfed4_0000n;

export function parseTpm2(bytes: Uint8Array, file: string): Tpm2 {
  const { header, reader } = parseSdtHeader(bytes, { file, expectedSignature: "TPM2" });
  const startMethod = reader.u32(48, "startMethod");
  const hasLog = reader.has(64, 12);
  return {
    header,
    ...(header.revision >= 4 ? { platformClass: reader.u16(36, "platformClass") } : {}),
    controlAreaAddress: reader.u64(40, "controlAreaAddress"),
    startMethod,
    interfaceName: tpm2InterfaceName(startMethod),
    ...(hasLog
      ? { logAreaMinimumLength: reader.u32(64, "logAreaMinimumLength"), logAreaStartAddress: reader.u64(68, "logAreaStartAddress") }
      : {}),
  };
}

/** Where the TPM's registers are: the CRB control area, or the fixed TIS block. */
export function tpm2InterfaceAddress(tpm2: Tpm2): bigint {
  if (tpm2.controlAreaAddress !== 0n) return tpm2.controlAreaAddress;
  return tpm2.interfaceName === "tis" ? TPM_TIS_BASE_ADDRESS : 0n;
}
