import { EmbeddedTpm, type EmbeddedTpmOptions } from "./embedded/embedded-tpm.js";
import { TcpTpm, type TcpTpmOptions } from "./tcp/tcp-tpm.js";
import { parseTpmLocation } from "./tcp/tpm-url.js";
import type { Tpm } from "./tpm.js";

export interface OpenTpmOptions {
  readonly embedded?: EmbeddedTpmOptions;
  readonly tcp?: TcpTpmOptions;
}

/**
 * The TPM a `--tpm` value names: "embedded" (the default) or "tcp://host:port". Opening does not
 * talk to the TPM yet; the first command does (and fails with NK-TPM-007 if nothing listens).
 */
export function openTpm(location = "embedded", options: OpenTpmOptions = {}): Tpm {
  const parsed = parseTpmLocation(location);
  if (parsed.kind === "embedded") return new EmbeddedTpm(options.embedded);
  return new TcpTpm(parsed, options.tcp);
}
