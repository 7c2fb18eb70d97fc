import type { SeededRandom } from "@novakit/kernel-core";
import {
  decodeGetRandom,
  decodePcrAllocation,
  decodePcrReadResponse,
  decodeResponse,
  encodeGetPcrAllocation,
  encodeGetRandom,
  encodePcrRead,
  encodePcrExtend,
  encodeStartup,
  HASH_ALGORITHMS,
  TPM_ALG_ID,
  TpmCommandProcessor,
  type TpmResponse,
} from "@novakit/txt-launch";
import type { StructuredFuzzTarget } from "../../mutate/input-structure.js";

const SOURCE = "fuzz TPM response";
/** TPM2_GetRandom asks for this many bytes in the seeds (and the decoder expects at most this) */
const RANDOM_BYTES = 40;
/** response header (reference/txt-tpm.md §10.1): tag u16, responseSize u32, responseCode u32, big-endian */
const RESPONSE_SIZE_OFFSET = 2;

/**
 * The response decoder each input goes to: its first byte (mod 4) chooses, the rest is the TPM's
 * response. A real client knows which command it sent; the selector byte is how one byte string
 * says that here.
 */
const DECODERS: readonly ((response: TpmResponse) => unknown)[] = [
  (response) => decodePcrReadResponse(response, SOURCE),
  (response) => decodePcrAllocation(response, SOURCE),
  (response) => decodeGetRandom(response, RANDOM_BYTES, SOURCE),
  (response) => response.responseCode,
];

function pcrRead(): Uint8Array {
  return encodePcrRead([
    { algorithmId: TPM_ALG_ID.sha1, pcrs: [0, 17, 23] },
    { algorithmId: TPM_ALG_ID.sha256, pcrs: [17, 18, 19] },
  ]);
}

/**
 * txt-launch's TPM 2.0 wire decoders: response framing (tag, size, response code) and the
 * TPM2_PCR_Read, TPM2_GetCapability(PCRS) and TPM2_GetRandom response bodies, i.e. what a real
 * TPM (swtpm over TCP) sends back. Seeds: the embedded TPM's real responses to those commands.
 */
export const tpmResponseTarget: StructuredFuzzTarget = {
  name: "tpm-response",
  description: "TPM 2.0 response framing + PCR_Read / GetCapability / GetRandom decoders (txt-launch)",
  seeds() {
    const tpm = new TpmCommandProcessor();
    tpm.execute(encodeStartup("clear"), 0);
    tpm.execute(encodePcrExtend(17, new Map(HASH_ALGORITHMS.map((bank) => [bank, new Uint8Array({ sha1: 20, sha256: 32, sha384: 48, sha512: 64 }[bank]).fill(0x5a)]))), 4);
    const commands = [pcrRead(), encodeGetPcrAllocation(), encodeGetRandom(RANDOM_BYTES), encodeStartup("clear")];
    return commands.map((command, selector) => Uint8Array.of(selector, ...tpm.execute(command, 0)));
  },
  execute(input) {
    const decode = DECODERS[(input[0] ?? 0) % DECODERS.length];
    decode?.(decodeResponse(input.subarray(1), SOURCE));
  },
  structure: {
    /** a changed body length makes responseSize disagree; set it back to reach the body decoders */
    repair(input: Uint8Array, random: SeededRandom): Uint8Array {
      if (input.length < 1 + RESPONSE_SIZE_OFFSET + 4 || random.below(2) === 0) return input;
      const bytes = input.slice();
      new DataView(bytes.buffer).setUint32(1 + RESPONSE_SIZE_OFFSET, bytes.length - 1, false);
      return bytes;
    },
  },
};
