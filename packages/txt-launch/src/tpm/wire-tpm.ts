import { NovakitError } from "@novakit/kernel-core";
import { hashAlgorithmFromId } from "./hash-algorithm.js";
import {
  requireByteCount,
  requireExtendDigests,
  requireLocality,
  requirePcrIndex,
  requirePcrReadSelection,
} from "./tpm-arguments.js";
import { TpmDiagnostic } from "./tpm-diagnostics.js";
import type { TpmTransport } from "./tpm-transport.js";
import { HASH_ALGORITHMS, type HashAlgorithm, type StartupType, type Tpm } from "./tpm.js";
import {
  decodeGetRandom,
  decodePcrAllocation,
  decodePcrReadResponse,
  decodeSessionOnlyResponse,
  encodeGetPcrAllocation,
  encodeGetRandom,
  encodePcrExtend,
  encodePcrRead,
  encodePcrReset,
  encodeStartup,
  selectionFor,
} from "./wire/commands.js";
import { decodeResponse, type TpmResponse } from "./wire/framing.js";
import { TpmRc, describeResponseCode } from "./wire/response-code.js";
import { MAX_RANDOM_PER_COMMAND, TpmCc, commandName } from "./wire/tpm-constants.js";

interface SendOptions {
  /** run the command at this locality */
  readonly locality?: number;
  /** response codes that are not errors for this command */
  readonly tolerated?: readonly number[];
  /** what the command was about, for the message ("PCR 17, sha1+sha256") */
  readonly subject?: string;
}

/** How often a multi-part PCR_Read is restarted when pcrUpdateCounter moves under it. */
const PCR_READ_ATTEMPTS = 3;

/**
 * The Tpm interface on top of a transport: builds each command with the wire codec, checks the
 * response completely, and turns a TPM error into a NovakitError naming the command and the
 * decoded response code. Nothing is returned until every part of the answer has been checked.
 */
export class WireTpm implements Tpm {
  private closed = false;

  constructor(private readonly transport: TpmTransport) {}

  get description(): string {
    return this.transport.description;
  }

  async startup(type: StartupType = "clear"): Promise<void> {
    const response = await this.send(encodeStartup(type), TpmCc.Startup, { tolerated: [TpmRc.INITIALIZE] });
    // TPM_RC_INITIALIZE here means "already started" (swtpm --flags startup-clear, §10.4)
    if (response.responseCode === TpmRc.SUCCESS && response.body.length !== 0) {
      throw new NovakitError(TpmDiagnostic.MALFORMED_RESPONSE, "TPM2_Startup response carries unexpected bytes", { file: this.source(TpmCc.Startup), offset: 10 });
    }
  }

  async pcrExtend(pcr: number, locality: number, digests: ReadonlyMap<HashAlgorithm, Uint8Array>): Promise<void> {
    requirePcrIndex(pcr);
    requireLocality(locality);
    requireExtendDigests(digests);
    const response = await this.send(encodePcrExtend(pcr, digests), TpmCc.PCR_Extend, { locality, subject: `PCR ${pcr}, ${[...digests.keys()].join("+")}` });
    decodeSessionOnlyResponse(response, this.source(TpmCc.PCR_Extend));
  }

  /** TPM2_PCR_Reset at `locality` (not part of the Tpm interface; tests and tools use it). */
  async pcrReset(pcr: number, locality: number): Promise<void> {
    requirePcrIndex(pcr);
    requireLocality(locality);
    const response = await this.send(encodePcrReset(pcr), TpmCc.PCR_Reset, { locality, subject: `PCR ${pcr}` });
    decodeSessionOnlyResponse(response, this.source(TpmCc.PCR_Reset));
  }

  async pcrRead(pcrs: readonly number[], banks: readonly HashAlgorithm[]): Promise<Map<HashAlgorithm, Map<number, Uint8Array>>> {
    requirePcrReadSelection(pcrs, banks);
    for (let attempt = 0; attempt < PCR_READ_ATTEMPTS; attempt++) {
      const result = await this.readAllParts(pcrs, banks);
      if (result !== undefined) return result;
    }
    throw new NovakitError(
      TpmDiagnostic.PCRS_CHANGED,
      `the PCRs changed between the parts of TPM2_PCR_Read ${PCR_READ_ATTEMPTS} times; no consistent set of values could be read`,
      { file: this.source(TpmCc.PCR_Read) },
    );
  }

  async activeBanks(): Promise<HashAlgorithm[]> {
    const source = this.source(TpmCc.GetCapability);
    const response = await this.send(encodeGetPcrAllocation(), TpmCc.GetCapability);
    const allocated = new Set<HashAlgorithm>();
    for (const selection of decodePcrAllocation(response, source)) {
      const bank = hashAlgorithmFromId(selection.algorithmId);
      // banks Novakit does not model (SM3, SHA3) are left out: nothing here could extend them
      if (bank !== undefined && selection.pcrs.length > 0) allocated.add(bank);
    }
    return HASH_ALGORITHMS.filter((bank) => allocated.has(bank));
  }

  async getRandom(count: number): Promise<Uint8Array> {
    requireByteCount(count);
    const source = this.source(TpmCc.GetRandom);
    const result = new Uint8Array(count);
    let filled = 0;
    while (filled < count) {
      const asked = Math.min(count - filled, MAX_RANDOM_PER_COMMAND);
      const response = await this.send(encodeGetRandom(asked), TpmCc.GetRandom);
      const bytes = decodeGetRandom(response, asked, source);
      result.set(bytes, filled);
      filled += bytes.length;
    }
    return result;
  }

  async drtmHash(data: Uint8Array): Promise<void> {
    this.requireOpen();
    await this.transport.hashSequence(data);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.transport.close();
  }

  /**
   * One pass over the selection, re-asking for what the TPM left out (at most 8 digests per
   * answer, §10.6). Undefined when pcrUpdateCounter changed between answers: the parts would mix
   * two TPM states, so the caller starts again.
   */
  private async readAllParts(pcrs: readonly number[], banks: readonly HashAlgorithm[]): Promise<Map<HashAlgorithm, Map<number, Uint8Array>> | undefined> {
    const source = this.source(TpmCc.PCR_Read);
    const values = new Map<HashAlgorithm, Map<number, Uint8Array>>(banks.map((bank) => [bank, new Map()]));
    const missing = new Map<HashAlgorithm, Set<number>>(banks.map((bank) => [bank, new Set(pcrs)]));
    let counter: number | undefined;
    for (;;) {
      const wanted = [...missing].filter(([, set]) => set.size > 0);
      if (wanted.length === 0) return values;
      const selections = wanted.flatMap(([bank, set]) => selectionFor([bank], [...set]));
      const response = await this.send(encodePcrRead(selections), TpmCc.PCR_Read);
      const result = decodePcrReadResponse(response, source);
      if (counter !== undefined && result.updateCounter !== counter) return undefined;
      counter = result.updateCounter;
      if (result.values.length === 0) {
        const [bank, set] = wanted[0] ?? [];
        throw new NovakitError(
          TpmDiagnostic.BANK_NOT_ALLOCATED,
          `the TPM returned no value for ${bank} PCR ${[...(set ?? [])].join(", ")}: that bank is not allocated on ${this.description}`,
          { file: source, field: `banks.${bank ?? ""}` },
          "ask activeBanks() which banks the TPM has, and read only those",
        );
      }
      for (const { bank, pcr, digest } of result.values) {
        if (missing.get(bank)?.delete(pcr) !== true) {
          throw new NovakitError(TpmDiagnostic.MALFORMED_RESPONSE, `PCR_Read returned ${bank} PCR ${pcr}, which was not asked for (or twice)`, {
            file: source,
            field: "pcrSelectionOut",
          });
        }
        values.get(bank)?.set(pcr, digest);
      }
    }
  }

  /**
   * Transmits, frames and checks a command. A non-success code is thrown as NK-TPM-004
   * (TPM_RC_LOCALITY) or NK-TPM-003 unless listed in `tolerated`.
   */
  private async send(command: Uint8Array, commandCode: number, options: SendOptions = {}): Promise<TpmResponse> {
    const { locality, tolerated = [], subject } = options;
    this.requireOpen();
    const source = this.source(commandCode);
    const response = decodeResponse(await this.transport.transmit(command, locality), source);
    if (response.responseCode === TpmRc.SUCCESS || tolerated.includes(response.responseCode)) return response;
    const where = `${subject === undefined ? "" : ` (${subject})`}${locality === undefined ? "" : ` at locality ${locality}`}`;
    const code = response.responseCode === TpmRc.LOCALITY ? TpmDiagnostic.LOCALITY_REFUSED : TpmDiagnostic.COMMAND_FAILED;
    throw new NovakitError(code, `${commandName(commandCode)}${where} failed: ${describeResponseCode(response.responseCode)}`, {
      file: source,
      field: "responseCode",
      offset: 6,
    });
  }

  private source(commandCode: number): string {
    return `${commandName(commandCode)} response from ${this.description}`;
  }

  private requireOpen(): void {
    if (this.closed) throw new NovakitError(TpmDiagnostic.CLOSED, `the TPM ${this.description} was used after close()`);
  }
}
