import { NovakitError, isNovakitError } from "@novakit/kernel-core";
import { hashAlgorithmFromId, hashBytes } from "../hash-algorithm.js";
import { HASH_ALGORITHMS, MAX_LOCALITY, PCR_COUNT, TPM_ALG_ID, type HashAlgorithm } from "../tpm.js";
import { TpmDiagnostic } from "../tpm-diagnostics.js";
import { BigEndianReader } from "../wire/big-endian-reader.js";
import { BigEndianWriter } from "../wire/big-endian-writer.js";
import { readDigestValues } from "../wire/digest-values.js";
import { encodeErrorResponse, encodeSuccessResponse } from "../wire/framing.js";
import { encodePasswordAuthResponse, readAuthCommand, type AuthCommand } from "../wire/password-session.js";
import { decodePcrBitmap, encodePcrBitmap } from "../wire/pcr-selection.js";
import { TpmRc, handleError, parameterError, sessionError } from "../wire/response-code.js";
import {
  HEADER_SIZE,
  MAX_MESSAGE_SIZE,
  MAX_PCR_READ_DIGESTS,
  MAX_RANDOM_PER_COMMAND,
  PCR_SELECT_BYTES,
  TpmCap,
  TpmCc,
  TpmRh,
  TpmSt,
  TpmSu,
} from "../wire/tpm-constants.js";
import { DeterministicRandom } from "./deterministic-random.js";
import { EMBEDDED_TPM_PROPERTIES } from "./embedded-capabilities.js";
import { DRTM_MEASUREMENT_PCR, DRTM_PCRS, mayExtend, mayReset } from "./pcr-locality-rules.js";
import { PcrStore } from "./pcr-store.js";
import { TpmRcFailure } from "./tpm-rc-failure.js";

export interface CommandProcessorOptions {
  /** allocated PCR banks; default all four, as a fresh swtpm (swtpm-recipe.md §2) */
  readonly banks?: readonly HashAlgorithm[];
  /** seed of the deterministic GetRandom generator; default "novakit-embedded-tpm" */
  readonly seed?: string | Uint8Array;
}

/** One TPMS_AUTH_COMMAND slot is at least 9 bytes: handle u32, nonce u16, attributes u8, hmac u16. */
const MIN_SESSION_SIZE = 9;
/** TPM 2.0 allows at most three sessions per command. */
const MAX_SESSIONS = 3;
/** TPM_RC_REFERENCE_S0: session 0 refers to a session that is not loaded (+n for session n) */
const REFERENCE_S0 = 0x918;
/** TPMA_SESSION bits 3 and 4 are reserved */
const TPMA_SESSION_RESERVED = 0x18;
/** bytes per TPMS_TAGGED_PROPERTY in a GetCapability answer */
const TAGGED_PROPERTY_SIZE = 8;

interface CommandContext {
  readonly handles: readonly number[];
  readonly parameters: BigEndianReader;
  readonly locality: number;
}

interface CommandSpec {
  readonly handleCount: number;
  /** handles that need an authorization session (the sessions come in this order) */
  readonly authHandleCount: number;
  readonly run: (context: CommandContext) => Uint8Array;
}

/**
 * The embedded TPM 2.0: bytes in, bytes out, exactly as over a TPM's data port. It implements
 * TPM2_Startup, PCR_Extend and PCR_Reset (empty password session), PCR_Read, GetCapability
 * (PCRS, TPM_PROPERTIES) and GetRandom, the PC Client locality rules of txt-tpm.md §5, and the
 * locality-4 hash sequence of a DRTM. Every other command answers TPM_RC_COMMAND_CODE.
 * Response codes follow what libtpms answers for the same input (swtpm-recipe.md §5).
 */
export class TpmCommandProcessor {
  private started = false;
  /** bytes of an open _TPM_Hash_Start sequence, undefined when none is open */
  private hashSequence: Uint8Array[] | undefined;
  private readonly pcrs: PcrStore;
  private readonly random: DeterministicRandom;
  private readonly commands: ReadonlyMap<number, CommandSpec>;

  constructor(options: CommandProcessorOptions = {}) {
    const banks = options.banks ?? HASH_ALGORITHMS;
    if (banks.length === 0 || banks.some((bank) => !HASH_ALGORITHMS.includes(bank))) {
      throw new NovakitError(TpmDiagnostic.BAD_ARGUMENT, `embedded TPM banks must be a non-empty subset of ${HASH_ALGORITHMS.join(", ")}`, { field: "banks" });
    }
    this.pcrs = new PcrStore(HASH_ALGORITHMS.filter((bank) => banks.includes(bank)));
    this.random = new DeterministicRandom(options.seed ?? "novakit-embedded-tpm");
    this.commands = new Map<number, CommandSpec>([
      [TpmCc.Startup, { handleCount: 0, authHandleCount: 0, run: (c) => this.startup(c) }],
      [TpmCc.PCR_Extend, { handleCount: 1, authHandleCount: 1, run: (c) => this.pcrExtend(c) }],
      [TpmCc.PCR_Reset, { handleCount: 1, authHandleCount: 1, run: (c) => this.pcrReset(c) }],
      [TpmCc.PCR_Read, { handleCount: 0, authHandleCount: 0, run: (c) => this.pcrRead(c) }],
      [TpmCc.GetCapability, { handleCount: 0, authHandleCount: 0, run: (c) => this.getCapability(c) }],
      [TpmCc.GetRandom, { handleCount: 0, authHandleCount: 0, run: (c) => this.getRandom(c) }],
    ]);
  }

  get isStarted(): boolean {
    return this.started;
  }

  /** Executes one command at `locality` and returns the response bytes. Never throws. */
  execute(command: Uint8Array, locality: number): Uint8Array {
    try {
      return this.dispatch(command, locality);
    } catch (error) {
      if (error instanceof TpmRcFailure) return encodeErrorResponse(error.responseCode);
      // a read past the end of the command: the TPM ran out of input octets
      if (isNovakitError(error)) return encodeErrorResponse(TpmRc.INSUFFICIENT);
      throw error;
    }
  }

  /** _TPM_Hash_Start: opens (or restarts) the locality-4 hash sequence. */
  hashStart(): void {
    this.hashSequence = [];
  }

  /** _TPM_Hash_Data */
  hashData(data: Uint8Array): void {
    if (this.hashSequence === undefined) {
      throw new NovakitError(TpmDiagnostic.COMMAND_FAILED, "_TPM_Hash_Data without _TPM_Hash_Start: the embedded TPM ignores it", { field: "hashSequence" });
    }
    this.hashSequence.push(Uint8Array.from(data));
  }

  /**
   * _TPM_Hash_End: PCRs 17-22 become zero, then PCR 17 of every bank is extended with
   * H_bank(data), i.e. PCR17 = H(0ⁿ ‖ H(data)) (txt-tpm.md §5, verified on swtpm).
   */
  hashEnd(): void {
    const parts = this.hashSequence;
    this.hashSequence = undefined;
    if (parts === undefined) {
      throw new NovakitError(TpmDiagnostic.COMMAND_FAILED, "_TPM_Hash_End without _TPM_Hash_Start", { field: "hashSequence" });
    }
    if (!this.started) {
      // before Startup a hash sequence would be an H-CRTM into PCR 0, which Novakit does not model
      throw new NovakitError(TpmDiagnostic.COMMAND_FAILED, "DRTM hash sequence before TPM2_Startup: TPM_RC_INITIALIZE", { field: "hashSequence" }, "call startup() first");
    }
    for (const pcr of DRTM_PCRS) this.pcrs.reset(pcr);
    const digests = new Map(this.pcrs.banks.map((bank) => [bank, hashBytes(bank, ...parts)] as const));
    this.pcrs.extend(DRTM_MEASUREMENT_PCR, digests);
  }

  private dispatch(command: Uint8Array, locality: number): Uint8Array {
    if (!Number.isInteger(locality) || locality < 0 || locality > MAX_LOCALITY) throw new TpmRcFailure(TpmRc.LOCALITY);
    if (command.length < HEADER_SIZE || command.length > MAX_MESSAGE_SIZE) throw new TpmRcFailure(TpmRc.COMMAND_SIZE);
    const reader = new BigEndianReader(command, "command");
    const tag = reader.u16("tag");
    const size = reader.u32("commandSize");
    const commandCode = reader.u32("commandCode");
    // libtpms answers a wrong tag with TPM_RC_VALUE 0x084, not BAD_TAG (swtpm-recipe.md §5)
    if (tag !== TpmSt.NO_SESSIONS && tag !== TpmSt.SESSIONS) throw new TpmRcFailure(TpmRc.VALUE);
    if (size !== command.length) throw new TpmRcFailure(TpmRc.COMMAND_SIZE);
    const spec = this.commands.get(commandCode);
    if (spec === undefined) throw new TpmRcFailure(TpmRc.COMMAND_CODE);
    if (this.started === (commandCode === TpmCc.Startup)) throw new TpmRcFailure(TpmRc.INITIALIZE);

    const handles: number[] = [];
    for (let index = 0; index < spec.handleCount; index++) handles.push(reader.u32(`handle[${index}]`));

    const sessionCount = this.checkAuthorization(reader, tag, spec.authHandleCount);
    const parameters = new BigEndianReader(reader.raw(reader.remaining, "parameters"), "command parameters");
    const body = spec.run({ handles, parameters, locality });
    if (parameters.remaining !== 0) throw new TpmRcFailure(TpmRc.SIZE);
    if (tag === TpmSt.NO_SESSIONS) return encodeSuccessResponse(TpmSt.NO_SESSIONS, body);
    // TPM_ST_SESSIONS: parameterSize, parameters, one authorization response per session
    const writer = new BigEndianWriter().u32(body.length).raw(body);
    for (let index = 0; index < sessionCount; index++) writer.raw(encodePasswordAuthResponse());
    return encodeSuccessResponse(TpmSt.SESSIONS, writer.toBytes());
  }

  /**
   * The authorization area (txt-tpm.md §10.1/10.5). Only the password session TPM_RS_PW with an
   * empty password exists here; PCR authValues are empty, so a password is BAD_AUTH (0x9A2 for
   * session 1, as swtpm answers a wrong password).
   */
  private checkAuthorization(reader: BigEndianReader, tag: number, authHandleCount: number): number {
    if (tag === TpmSt.NO_SESSIONS) {
      if (authHandleCount > 0) throw new TpmRcFailure(TpmRc.AUTH_MISSING);
      return 0;
    }
    // libtpms answers TPM_RC_SIZE for an authorizationSize too small for one session or larger
    // than the rest of the command (both observed on swtpm 0.7.1)
    const authorizationSize = reader.u32("authorizationSize");
    if (authorizationSize < MIN_SESSION_SIZE || authorizationSize > reader.remaining) throw new TpmRcFailure(TpmRc.SIZE);
    const area = new BigEndianReader(reader.raw(authorizationSize, "authorization"), "authorization");
    let sessions = 0;
    while (area.remaining > 0) {
      if (sessions === MAX_SESSIONS) throw new TpmRcFailure(TpmRc.AUTHSIZE);
      sessions += 1;
      const session = this.readSession(area, sessions);
      // a session beyond the handles that need authorization has nothing to authorize
      if (sessions > authHandleCount) throw new TpmRcFailure(sessionError(TpmRc.HANDLE, sessions));
      if (session.sessionHandle !== TpmRh.RS_PW) throw new TpmRcFailure(REFERENCE_S0 + sessions - 1);
      if ((session.attributes & TPMA_SESSION_RESERVED) !== 0) throw new TpmRcFailure(sessionError(TpmRc.RESERVED_BITS, sessions));
      if (session.nonce.length !== 0) throw new TpmRcFailure(sessionError(TpmRc.NONCE, sessions));
      if (session.password.length !== 0) throw new TpmRcFailure(sessionError(TpmRc.BAD_AUTH, sessions));
    }
    if (sessions < authHandleCount) throw new TpmRcFailure(TpmRc.AUTH_MISSING);
    return sessions;
  }

  /** Session `number` (1-based); running out of bytes is TPM_RC_INSUFFICIENT on that session. */
  private readSession(area: BigEndianReader, number: number): AuthCommand {
    try {
      return readAuthCommand(area, number - 1);
    } catch (error) {
      if (isNovakitError(error)) throw new TpmRcFailure(sessionError(TpmRc.INSUFFICIENT, number));
      throw error;
    }
  }

  private startup({ parameters }: CommandContext): Uint8Array {
    const type = parameters.u16("startupType");
    // Startup(STATE) resumes a state saved by Shutdown(STATE); the embedded TPM never saves one
    if (type !== TpmSu.CLEAR) throw new TpmRcFailure(parameterError(TpmRc.VALUE, 1));
    this.pcrs.clear();
    this.hashSequence = undefined;
    this.started = true;
    return new Uint8Array(0);
  }

  /** The PCR handle, or undefined for TPM_RH_NULL (a legal no-op target). */
  private pcrHandle(handle: number | undefined): number | undefined {
    if (handle === TpmRh.NULL) return undefined;
    if (handle === undefined || handle >= PCR_COUNT) throw new TpmRcFailure(handleError(TpmRc.VALUE, 1));
    return handle;
  }

  private pcrExtend({ handles, parameters, locality }: CommandContext): Uint8Array {
    const pcr = this.pcrHandle(handles[0]);
    if (pcr !== undefined && !mayExtend(pcr, locality)) throw new TpmRcFailure(TpmRc.LOCALITY);
    const result = readDigestValues(parameters, 1, HASH_ALGORITHMS.length);
    if (!result.ok) throw new TpmRcFailure(result.responseCode);
    if (pcr !== undefined) this.pcrs.extend(pcr, result.digests);
    return new Uint8Array(0);
  }

  private pcrReset({ handles, locality }: CommandContext): Uint8Array {
    const pcr = this.pcrHandle(handles[0]);
    if (pcr !== undefined && !mayReset(pcr, locality)) throw new TpmRcFailure(TpmRc.LOCALITY);
    if (pcr !== undefined) this.pcrs.reset(pcr);
    return new Uint8Array(0);
  }

  /** At most 8 digests per answer; the selection out says which (txt-tpm.md §10.6). */
  private pcrRead({ parameters }: CommandContext): Uint8Array {
    const count = parameters.u32("pcrSelectionIn.count");
    if (count > HASH_ALGORITHMS.length) throw new TpmRcFailure(parameterError(TpmRc.SIZE, 1));
    const selectionOut = new BigEndianWriter().u32(count);
    const digests: Uint8Array[] = [];
    for (let index = 0; index < count; index++) {
      const algorithmId = parameters.u16("hash");
      const bank = hashAlgorithmFromId(algorithmId);
      if (bank === undefined) throw new TpmRcFailure(parameterError(TpmRc.HASH, 1));
      const sizeofSelect = parameters.u8("sizeofSelect");
      if (sizeofSelect !== PCR_SELECT_BYTES) throw new TpmRcFailure(parameterError(TpmRc.VALUE, 1));
      const returned: number[] = [];
      if (this.pcrs.isAllocated(bank)) {
        for (const pcr of decodePcrBitmap(parameters.raw(sizeofSelect, "pcrSelect"))) {
          if (digests.length === MAX_PCR_READ_DIGESTS) break;
          returned.push(pcr);
          digests.push(this.pcrs.read(bank, pcr));
        }
      } else {
        parameters.raw(sizeofSelect, "pcrSelect");
      }
      selectionOut.u16(algorithmId).u8(sizeofSelect).raw(encodePcrBitmap(returned, sizeofSelect));
    }
    const writer = new BigEndianWriter().u32(this.pcrs.updateCounter).raw(selectionOut.toBytes()).u32(digests.length);
    for (const digest of digests) writer.sized(digest);
    return writer.toBytes();
  }

  private getCapability({ parameters }: CommandContext): Uint8Array {
    const capability = parameters.u32("capability");
    const property = parameters.u32("property");
    const propertyCount = parameters.u32("propertyCount");
    const writer = new BigEndianWriter();
    if (capability === TpmCap.PCRS) {
      // every implemented bank is listed; an unallocated one has an empty bitmap
      writer.u8(0).u32(TpmCap.PCRS).u32(HASH_ALGORITHMS.length);
      for (const bank of HASH_ALGORITHMS) {
        const pcrs = this.pcrs.isAllocated(bank) ? Array.from({ length: PCR_COUNT }, (_, pcr) => pcr) : [];
        writer.u16(TPM_ALG_ID[bank]).u8(PCR_SELECT_BYTES).raw(encodePcrBitmap(pcrs));
      }
      return writer.toBytes();
    }
    if (capability === TpmCap.TPM_PROPERTIES) {
      const fitting = Math.floor((MAX_MESSAGE_SIZE - HEADER_SIZE - 9) / TAGGED_PROPERTY_SIZE);
      const from = EMBEDDED_TPM_PROPERTIES.filter(([tag]) => tag >= property);
      const chosen = from.slice(0, Math.min(propertyCount, fitting));
      writer.u8(chosen.length < from.length ? 1 : 0).u32(TpmCap.TPM_PROPERTIES).u32(chosen.length);
      for (const [tag, value] of chosen) writer.u32(tag).u32(value);
      return writer.toBytes();
    }
    throw new TpmRcFailure(parameterError(TpmRc.VALUE, 1));
  }

  /** Capped at the largest digest, 64 bytes, as swtpm does (txt-tpm.md §10.8). */
  private getRandom({ parameters }: CommandContext): Uint8Array {
    const requested = parameters.u16("bytesRequested");
    return new BigEndianWriter().sized(this.random.next(Math.min(requested, MAX_RANDOM_PER_COMMAND))).toBytes();
  }
}
