import { NovakitError } from "@novakit/kernel-core";
import { TpmDiagnostic } from "../tpm-diagnostics.js";

/** Where a TCP TPM listens: swtpm's data port, and its control channel at the next port. */
export interface TcpTpmAddress {
  readonly host: string;
  readonly port: number;
  /** always port + 1, as swtpm's `swtpm:` TCTI assumes (swtpm-recipe.md §11.1) */
  readonly controlPort: number;
}

/** What `--tpm` names: the embedded TPM or a TPM over TCP. */
export type TpmLocation = { readonly kind: "embedded" } | ({ readonly kind: "tcp" } & TcpTpmAddress);

const HINT = 'use "embedded" or tcp://HOST:PORT, e.g. tcp://127.0.0.1:2321 (the control channel is PORT+1)';

/** Parses a `--tpm` value: "embedded" or "tcp://host:port" (IPv6 hosts in brackets). */
export function parseTpmLocation(value: string, field = "--tpm"): TpmLocation {
  if (value === "embedded") return { kind: "embedded" };
  const bad = (why: string): NovakitError => new NovakitError(TpmDiagnostic.BAD_TPM_URL, `TPM address "${value}" ${why}`, { field }, HINT);
  const match = /^tcp:\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})\/?$/.exec(value);
  if (match === null) throw bad("is not tcp://HOST:PORT");
  const [, rawHost = "", rawPort = ""] = match;
  const port = Number(rawPort);
  // the control channel sits at port + 1, which must be a port too
  if (port < 1 || port > 65534) throw bad(`has port ${rawPort}, which must be in 1..65534`);
  const host = rawHost.startsWith("[") ? rawHost.slice(1, -1) : rawHost;
  return { kind: "tcp", host, port, controlPort: port + 1 };
}

/** "tcp://127.0.0.1:2321" */
export function formatTcpAddress(address: TcpTpmAddress): string {
  return `tcp://${address.host.includes(":") ? `[${address.host}]` : address.host}:${address.port}`;
}
