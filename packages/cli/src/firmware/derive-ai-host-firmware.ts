import { readFileSync } from "node:fs";
import { join } from "node:path";
import { NovakitError } from "@novakit/kernel-core";
import { encodeIvrs, parseIvrs, type DeviceEntryInput, type IvrsBlockInput } from "@novakit/iommu-amd";
import { ISOLATION_CODES } from "../commands/isolation-codes.js";

/** The PCI functions the AI host adds to q35 (bus 0, function 0), as qemu-q35-amd-iommu-ai-host lists them. */
export const AI_HOST_ADDED_DEVICES: readonly number[] = [0x03, 0x04, 0x05, 0x06, 0x07];

/** One table of the derived fixture folder. */
export interface DerivedTable {
  /** file name in the fixture folder ("IVRS.bin") */
  readonly file: string;
  readonly address: bigint;
  readonly bytes: Uint8Array;
}

export interface DerivedFirmware {
  /** every table of the folder, in file-name order */
  readonly tables: readonly DerivedTable[];
  /** the folder's addresses.json, as text */
  readonly addressesJson: string;
}

/** ACPI 1.0 RSDP (platform.md §5.1): checksum byte 8 over 20 bytes, RSDT address at +16. */
const RSDP_CHECKSUM_OFFSET = 8;
const RSDP_V1_LENGTH = 20;
const RSDP_RSDT_ADDRESS_OFFSET = 16;
/** SDT header (platform.md §5.2): checksum byte 9; an RSDT's 32-bit entries start at +36 */
const SDT_CHECKSUM_OFFSET = 9;
const SDT_HEADER_LENGTH = 36;
const SELECT_ENTRY = 0x02;

/**
 * The firmware of the AI host, derived from the q35 dump in `q35Folder`:
 *  - IVRS: the dump's table with a SELECT (02h) entry per added function, placed in devfn order
 *    among the dump's SELECT entries as QEMU's build_amd_iommu writes them (insert_ivhd for every
 *    device of pci_for_each_device_under_bus, which walks devfn 0..255), re-encoded by encodeIvrs;
 *  - WAET and RSDT move up by the bytes the IVRS grew, because SeaBIOS lays the tables out back to
 *    back in RSDT order (the q35 addresses.json chain), so the RSDT's WAET entry and the RSDP's
 *    RSDT address are rewritten and both checksums recomputed;
 *  - every other table is the dump's bytes.
 */
export function deriveAiHostFirmware(q35Folder: string): DerivedFirmware {
  const addresses = readAddresses(q35Folder);
  const read = (file: string): Uint8Array => {
    try {
      return new Uint8Array(readFileSync(join(q35Folder, file)));
    } catch (error) {
      throw new NovakitError(ISOLATION_CODES.derivationInput, `cannot read ${file} of the q35 fixture: ${String(error)}`, { file: join(q35Folder, file) });
    }
  };
  const addressOf = (file: string): bigint => {
    const address = addresses.get(file);
    if (address === undefined) {
      throw new NovakitError(ISOLATION_CODES.derivationInput, `addresses.json of the q35 fixture has no address for ${file}`, { file: join(q35Folder, "addresses.json"), field: file });
    }
    return address;
  };

  const oldIvrs = read("IVRS.bin");
  const ivrs = encodeIvrs(withAddedSelects(parseIvrs(oldIvrs, join(q35Folder, "IVRS.bin")), AI_HOST_ADDED_DEVICES));
  const growth = BigInt(ivrs.length - oldIvrs.length);
  const oldWaet = addressOf("WAET.bin");
  const newWaet = oldWaet + growth;
  const newRsdt = addressOf("RSDT.bin") + growth;
  const rsdt = withRsdtEntryMoved(read("RSDT.bin"), oldWaet, newWaet, join(q35Folder, "RSDT.bin"));
  const rsdp = read("RSDP.bin");
  new DataView(rsdp.buffer, rsdp.byteOffset).setUint32(RSDP_RSDT_ADDRESS_OFFSET, Number(newRsdt), true);
  setChecksum(rsdp, RSDP_CHECKSUM_OFFSET, RSDP_V1_LENGTH);

  const replaced = new Map<string, { bytes: Uint8Array; address: bigint }>([
    ["IVRS.bin", { bytes: ivrs, address: addressOf("IVRS.bin") }],
    ["WAET.bin", { bytes: read("WAET.bin"), address: newWaet }],
    ["RSDT.bin", { bytes: rsdt, address: newRsdt }],
    ["RSDP.bin", { bytes: rsdp, address: addressOf("RSDP.bin") }],
  ]);
  const tables: DerivedTable[] = [...addresses.keys()].sort().map((file) => {
    const changed = replaced.get(file);
    return changed ? { file, ...changed } : { file, address: addressOf(file), bytes: read(file) };
  });
  const manifest: Record<string, string> = {
    $comment:
      "DERIVED, not dumped (packages/cli/src/firmware/derive-ai-host-firmware.ts): the q35 fixture's table addresses, with WAET and RSDT moved up by the 20 bytes the IVRS grew (five SELECT entries); SeaBIOS lays the tables out back to back in RSDT order.",
  };
  for (const table of tables) manifest[table.file] = `0x${table.address.toString(16).toUpperCase()}`;
  return { tables, addressesJson: `${JSON.stringify(manifest, null, 2)}\n` };
}

/** The table with a SELECT entry for each added device of bus 0, in devfn order among the SELECTs. */
function withAddedSelects(table: ReturnType<typeof parseIvrs>, devices: readonly number[]): Parameters<typeof encodeIvrs>[0] {
  const blocks: IvrsBlockInput[] = table.blocks.map((block) => {
    if (block.kind !== "ivhd") return block;
    const entries: DeviceEntryInput[] = [...block.entries];
    for (const device of devices) {
      const deviceId = device << 3; // bus 0, function 0: the DeviceID is the devfn
      const at = entries.findIndex((entry) => entry.kind !== "select" || entry.deviceId > deviceId);
      entries.splice(at === -1 ? entries.length : at, 0, { kind: "select", type: SELECT_ENTRY, deviceId, setting: 0 });
    }
    return { ...block, entries };
  });
  return { header: table.header, ivinfo: table.ivinfo, reserved: table.reserved, blocks };
}

function withRsdtEntryMoved(rsdt: Uint8Array, from: bigint, to: bigint, file: string): Uint8Array {
  const view = new DataView(rsdt.buffer, rsdt.byteOffset, rsdt.byteLength);
  let moved = 0;
  for (let offset = SDT_HEADER_LENGTH; offset + 4 <= rsdt.length; offset += 4) {
    if (BigInt(view.getUint32(offset, true)) === from) {
      view.setUint32(offset, Number(to), true);
      moved++;
    }
  }
  if (moved !== 1) {
    throw new NovakitError(ISOLATION_CODES.derivationInput, `the q35 RSDT lists the WAET address 0x${from.toString(16)} ${moved} times, expected once`, { file, field: "RSDT.entries" });
  }
  setChecksum(rsdt, SDT_CHECKSUM_OFFSET, rsdt.length);
  return rsdt;
}

/** ACPI checksum: the first `length` bytes sum to 0 modulo 256. */
function setChecksum(bytes: Uint8Array, offset: number, length: number): void {
  bytes[offset] = 0;
  let sum = 0;
  for (let index = 0; index < length; index++) sum = (sum + (bytes[index] ?? 0)) & 0xff;
  bytes[offset] = (0x100 - sum) & 0xff;
}

function readAddresses(folder: string): Map<string, bigint> {
  const path = join(folder, "addresses.json");
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new NovakitError(ISOLATION_CODES.derivationInput, `cannot read addresses.json of the q35 fixture: ${String(error)}`, { file: path });
  }
  const addresses = new Map<string, bigint>();
  if (typeof parsed !== "object" || parsed === null) return addresses;
  for (const [file, value] of Object.entries(parsed)) {
    if (!file.startsWith("$") && typeof value === "string") addresses.set(file, BigInt(value));
  }
  return addresses;
}
