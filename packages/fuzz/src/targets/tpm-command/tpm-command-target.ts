import {
  encodeGetPcrAllocation,
  encodeGetRandom,
  encodePcrExtend,
  encodePcrRead,
  encodePcrReset,
  encodeStartup,
  HASH_ALGORITHMS,
  TPM_ALG_ID,
  TpmCc,
  TpmCommandProcessor,
} from "@novakit/txt-launch";
import type { StructuredFuzzTarget } from "../../mutate/input-structure.js";

/** reference/txt-tpm.md §10.1: a response is at least tag + size + code (10 bytes), size = its length */
const MIN_RESPONSE = 10;
const TPM_ST_NO_SESSIONS = 0x8001;
const TPM_ST_SESSIONS = 0x8002;
/** localities 0-4 exist (reference/txt-tpm.md §5); the first input byte picks one */
const LOCALITIES = 5;

/**
 * The embedded TPM's command side: whatever bytes a caller sends, at whatever locality, it must
 * answer with a well-formed response (an error response code is an answer; an exception or a
 * malformed response is a finding). First input byte = locality, the rest = the command.
 */
export const tpmCommandTarget: StructuredFuzzTarget = {
  name: "tpm-command",
  description: "embedded TPM 2.0 command processor on arbitrary command bytes (txt-launch)",
  seeds() {
    const digests = new Map(HASH_ALGORITHMS.map((bank) => [bank, new Uint8Array({ sha1: 20, sha256: 32, sha384: 48, sha512: 64 }[bank]).fill(0xa5)]));
    return [
      Uint8Array.of(0, ...encodeStartup("clear")),
      Uint8Array.of(0, ...encodeGetRandom(40)),
      Uint8Array.of(4, ...encodePcrExtend(17, digests)),
      Uint8Array.of(4, ...encodePcrReset(17)),
      Uint8Array.of(0, ...encodePcrRead([{ algorithmId: TPM_ALG_ID.sha256, pcrs: [0, 17, 18, 19] }])),
      Uint8Array.of(0, ...encodeGetPcrAllocation()),
    ];
  },
  execute(input) {
    const tpm = new TpmCommandProcessor();
    tpm.execute(encodeStartup("clear"), 0);
    const response = tpm.execute(input.subarray(1), (input[0] ?? 0) % LOCALITIES);
    const view = new DataView(response.buffer, response.byteOffset, response.byteLength);
    if (response.length < MIN_RESPONSE) throw new Error(`TPM response of ${response.length} bytes is shorter than its header`);
    const tag = view.getUint16(0, false);
    if (tag !== TPM_ST_NO_SESSIONS && tag !== TPM_ST_SESSIONS) throw new Error(`TPM response tag 0x${tag.toString(16)} is neither ST_NO_SESSIONS nor ST_SESSIONS`);
    if (view.getUint32(2, false) !== response.length) throw new Error(`TPM responseSize ${view.getUint32(2, false)} differs from the ${response.length} bytes sent`);
  },
  structure: {
    // every command code txt-launch knows (reference/txt-tpm.md §10.2) and both tags, big-endian as on the wire
    dictionary: [...Object.values(TpmCc).map((code) => bigEndian32(code)), Uint8Array.of(0x80, 0x01), Uint8Array.of(0x80, 0x02)],
  },
};

function bigEndian32(value: number): Uint8Array {
  return Uint8Array.of((value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
}
