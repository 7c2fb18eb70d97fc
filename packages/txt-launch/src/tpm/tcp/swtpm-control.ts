import { NovakitError } from "@novakit/kernel-core";
import { TpmDiagnostic } from "../tpm-diagnostics.js";
import { BigEndianReader } from "../wire/big-endian-reader.js";
import { BigEndianWriter } from "../wire/big-endian-writer.js";
import { exchange } from "./socket-exchange.js";

/**
 * swtpm's control channel (swtpm-recipe.md §6, codes of swtpm/tpm_ioctl.h): a request is a u32
 * big-endian command code and its payload; the answer a u32 big-endian result (0 = success)
 * and the command's payload.
 */
export const SwtpmControlCommand = {
  GET_CAPABILITY: 0x01,
  INIT: 0x02,
  SHUTDOWN: 0x03,
  GET_TPMESTABLISHED: 0x04,
  SET_LOCALITY: 0x05,
  HASH_START: 0x06,
  HASH_DATA: 0x07,
  HASH_END: 0x08,
  CANCEL_TPM_CMD: 0x09,
  STORE_VOLATILE: 0x0a,
  RESET_TPMESTABLISHED: 0x0b,
  GET_STATEBLOB: 0x0c,
  SET_STATEBLOB: 0x0d,
  STOP: 0x0e,
  GET_CONFIG: 0x0f,
  SET_DATAFD: 0x10,
  SET_BUFFERSIZE: 0x11,
  GET_INFO: 0x12,
} as const;

const CONTROL_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(SwtpmControlCommand).map(([name, code]) => [code, `CMD_${name}`]));

/** TPM 1.2-style results the control channel answers (TPM_BAD_LOCALITY 0x3D seen, §6). */
const CONTROL_RESULTS: ReadonlyMap<number, string> = new Map([
  [0x01, "TPM_AUTHFAIL"],
  [0x03, "TPM_BAD_PARAMETER"],
  [0x09, "TPM_FAIL"],
  [0x0a, "TPM_BAD_MODE? (operation not allowed in this state)"],
  [0x26, "TPM_INVALID_POSTINIT"],
  [0x3d, "TPM_BAD_LOCALITY"],
]);

/**
 * The largest HASH_DATA payload sent at once. swtpm's request structure holds a few KiB; a
 * hash sequence may take any number of HASH_DATA requests, so larger data is split.
 */
const HASH_DATA_CHUNK = 1024;

export class SwtpmControlChannel {
  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly timeoutMs: number,
  ) {}

  /** CMD_SET_LOCALITY (payload u8): the locality of the following data-port commands. */
  async setLocality(locality: number): Promise<void> {
    await this.command(SwtpmControlCommand.SET_LOCALITY, new Uint8Array([locality]), `locality ${locality}`);
  }

  /** CMD_INIT (payload u32 flags = 0): powers the TPM up; TPM2_Startup must follow. */
  async init(): Promise<void> {
    await this.command(SwtpmControlCommand.INIT, new BigEndianWriter().u32(0).toBytes());
  }

  /** CMD_SHUTDOWN: swtpm shuts the TPM down and the process exits (§10). */
  async shutdown(): Promise<void> {
    await this.command(SwtpmControlCommand.SHUTDOWN);
  }

  /** CMD_STOP: the TPM stops answering until the next CMD_INIT. */
  async stop(): Promise<void> {
    await this.command(SwtpmControlCommand.STOP);
  }

  /** CMD_GET_CAPABILITY: the bit set of control commands swtpm supports (0xFFFF on 0.7.1). */
  async capabilities(): Promise<number> {
    const payload = await this.command(SwtpmControlCommand.GET_CAPABILITY, new Uint8Array(0), undefined, 4);
    return new BigEndianReader(payload, "CMD_GET_CAPABILITY answer", TpmDiagnostic.CONTROL_FAILED).u32("caps");
  }

  /** HASH_START, HASH_DATA (u32 length + data, in chunks), HASH_END (§6, verified). */
  async hashSequence(data: Uint8Array): Promise<void> {
    await this.command(SwtpmControlCommand.HASH_START);
    for (let offset = 0; offset < data.length; offset += HASH_DATA_CHUNK) {
      const chunk = data.subarray(offset, offset + HASH_DATA_CHUNK);
      await this.command(SwtpmControlCommand.HASH_DATA, new BigEndianWriter().u32(chunk.length).raw(chunk).toBytes(), `${chunk.length} bytes at offset ${offset}`);
    }
    await this.command(SwtpmControlCommand.HASH_END);
  }

  /** Sends one control command; returns the payload after the u32 result. */
  private async command(code: number, payload: Uint8Array = new Uint8Array(0), subject?: string, answerPayload = 0): Promise<Uint8Array> {
    const name = `${CONTROL_NAMES.get(code) ?? `control command ${code}`}${subject === undefined ? "" : ` (${subject})`}`;
    const what = `${name} on control channel ${this.host}:${this.port}`;
    const answer = await exchange({
      host: this.host,
      port: this.port,
      request: new BigEndianWriter().u32(code).raw(payload).toBytes(),
      // a failing command answers only its 4-byte result, whatever payload success would carry
      answerLength: (received) => (received.length < 4 ? undefined : readU32(received) !== 0 ? 4 : 4 + answerPayload),
      timeoutMs: this.timeoutMs,
      what,
    });
    const result = readU32(answer);
    if (result !== 0) {
      const meaning = CONTROL_RESULTS.get(result);
      throw new NovakitError(
        TpmDiagnostic.CONTROL_FAILED,
        `${what} answered result 0x${result.toString(16)}${meaning === undefined ? "" : ` (${meaning})`}`,
        { file: what, offset: 0, field: "result" },
      );
    }
    return answer.subarray(4);
  }
}

function readU32(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, false);
}
