import { requireLocality } from "../tpm-arguments.js";
import type { TpmTransport } from "../tpm-transport.js";
import { WireTpm } from "../wire-tpm.js";
import { TpmCommandProcessor, type CommandProcessorOptions } from "./command-processor.js";
import { TpmFailureSchedule, type TpmFailureMode } from "./tpm-failure-mode.js";

export interface EmbeddedTpmOptions extends CommandProcessorOptions {
  /** fault injection: the TPM dies after some exchanges (tpm-failure-mode.ts); default never */
  readonly failure?: TpmFailureMode;
}

/** The embedded TPM's transport: command bytes straight into the in-process command processor. */
class EmbeddedTransport implements TpmTransport {
  readonly description = "embedded";
  private readonly schedule: TpmFailureSchedule;

  constructor(
    readonly processor: TpmCommandProcessor,
    failure: TpmFailureMode | undefined,
  ) {
    this.schedule = new TpmFailureSchedule(failure);
  }

  async transmit(command: Uint8Array, locality = 0): Promise<Uint8Array> {
    requireLocality(locality);
    const garbage = this.schedule.beforeExchange("a command");
    if (garbage !== undefined) return garbage;
    // copies on both sides: the caller and the TPM never share a buffer, as over a wire
    return Uint8Array.from(this.processor.execute(Uint8Array.from(command), locality));
  }

  async hashSequence(data: Uint8Array): Promise<void> {
    // a garbage answer to the locality-4 hash sequence is a sequence that did not happen
    if (this.schedule.beforeExchange("the DRTM hash sequence") !== undefined) return;
    this.processor.hashStart();
    this.processor.hashData(data);
    this.processor.hashEnd();
  }

  async close(): Promise<void> {}
}

/** The embedded TPM behind the Tpm interface, plus its raw command processor for tests and tools. */
export class EmbeddedTpm extends WireTpm {
  readonly processor: TpmCommandProcessor;

  constructor(options: EmbeddedTpmOptions = {}) {
    const processor = new TpmCommandProcessor(options);
    super(new EmbeddedTransport(processor, options.failure));
    this.processor = processor;
  }
}
