import { NovakitError } from "@novakit/kernel-core";
import { requireLocality } from "../tpm-arguments.js";
import { TpmDiagnostic } from "../tpm-diagnostics.js";
import type { TpmTransport } from "../tpm-transport.js";
import { WireTpm } from "../wire-tpm.js";
import { announcedResponseSize } from "../wire/framing.js";
import { HEADER_SIZE, commandName } from "../wire/tpm-constants.js";
import { exchange } from "./socket-exchange.js";
import { SwtpmControlChannel } from "./swtpm-control.js";
import { formatTcpAddress, type TcpTpmAddress } from "./tpm-url.js";

export interface TcpTpmOptions {
  /** per exchange (connect + command + answer); NOVA's command timeout B is 2 s (txt-tpm.md §10.10) */
  readonly timeoutMs?: number;
}

/** Generous against a loaded CI machine, still short enough that a dead TPM is noticed. */
export const DEFAULT_TCP_TIMEOUT_MS = 5000;

/**
 * The TCP transport: commands to swtpm's data port, one connection each; localities and the
 * DRTM hash sequence through its control channel at the next port (swtpm-recipe.md §5-6).
 */
class TcpTransport implements TpmTransport {
  readonly description: string;
  readonly control: SwtpmControlChannel;

  constructor(
    private readonly address: TcpTpmAddress,
    private readonly timeoutMs: number,
  ) {
    this.description = formatTcpAddress(address);
    this.control = new SwtpmControlChannel(address.host, address.controlPort, timeoutMs);
  }

  async transmit(command: Uint8Array, locality?: number): Promise<Uint8Array> {
    if (locality === undefined) return this.send(command);
    requireLocality(locality);
    // the locality is global swtpm state (§6): set it for this command, and put it back to 0
    // afterwards so a later client (tpm2-tools assumes 0) is not left at locality 4
    await this.control.setLocality(locality);
    let response: Uint8Array;
    try {
      response = await this.send(command);
    } catch (error) {
      // best effort: the command's own failure is the error to report, not a failed reset
      if (locality !== 0) await this.control.setLocality(0).catch(() => undefined);
      throw error;
    }
    if (locality !== 0) await this.control.setLocality(0);
    return response;
  }

  async hashSequence(data: Uint8Array): Promise<void> {
    await this.control.hashSequence(data);
  }

  async close(): Promise<void> {}

  private send(command: Uint8Array): Promise<Uint8Array> {
    const what = `${commandNameOf(command)} on ${this.description}`;
    return exchange({
      host: this.address.host,
      port: this.address.port,
      request: command,
      answerLength: (received) => (received.length < HEADER_SIZE ? undefined : announcedResponseSize(received, `response from ${this.description}`)),
      timeoutMs: this.timeoutMs,
      what,
    });
  }
}

function commandNameOf(command: Uint8Array): string {
  if (command.length < HEADER_SIZE) return "a command";
  return commandName(new DataView(command.buffer, command.byteOffset, command.byteLength).getUint32(6, false));
}

/**
 * A real TPM (swtpm, or anything speaking its socket protocol) behind the Tpm interface, plus the
 * control-channel operations of a TPM's power and lifecycle.
 */
export class TcpTpm extends WireTpm {
  private readonly control: SwtpmControlChannel;

  constructor(address: TcpTpmAddress, options: TcpTpmOptions = {}) {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TCP_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new NovakitError(TpmDiagnostic.BAD_ARGUMENT, `TPM timeout ${timeoutMs} ms must be positive`, { field: "timeoutMs" });
    }
    const transport = new TcpTransport(address, timeoutMs);
    super(transport);
    this.control = transport.control;
  }

  /** CMD_INIT: power on a swtpm started without `--flags startup-clear`/`not-need-init`. */
  async powerOn(): Promise<void> {
    await this.control.init();
  }

  /** CMD_STOP: the TPM stops until the next powerOn(). */
  async stop(): Promise<void> {
    await this.control.stop();
  }

  /** CMD_SHUTDOWN: the swtpm process shuts the TPM down and exits. */
  async shutdownProcess(): Promise<void> {
    await this.control.shutdown();
  }

  /** CMD_GET_CAPABILITY of the control channel (which control commands exist). */
  async controlCapabilities(): Promise<number> {
    return this.control.capabilities();
  }

  /** CMD_SET_LOCALITY alone (tests and tools; pcrExtend sets its locality itself). */
  async setLocality(locality: number): Promise<void> {
    requireLocality(locality);
    await this.control.setLocality(locality);
  }
}
