import { requireLocality } from "../tpm-arguments.js";
import type { TpmTransport } from "../tpm-transport.js";
import { WireTpm } from "../wire-tpm.js";
import { TpmCommandProcessor, type CommandProcessorOptions } from "./command-processor.js";

export type EmbeddedTpmOptions = CommandProcessorOptions;

/** The embedded TPM's transport: command bytes straight into the in-process command processor. */
class EmbeddedTransport implements TpmTransport {
  readonly description = "embedded";

  constructor(readonly processor: TpmCommandProcessor) {}

  async transmit(command: Uint8Array, locality = 0): Promise<Uint8Array> {
    requireLocality(locality);
    // copies on both sides: the caller and the TPM never share a buffer, as over a wire
    return Uint8Array.from(this.processor.execute(Uint8Array.from(command), locality));
  }

  async hashSequence(data: Uint8Array): Promise<void> {
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
    super(new EmbeddedTransport(processor));
    this.processor = processor;
  }
}
