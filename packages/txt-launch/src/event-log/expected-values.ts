import { NovakitError } from "@novakit/kernel-core";
import { LaunchDiagnostic } from "../launch-diagnostics.js";
import { HASH_ALGORITHMS, DIGEST_SIZE, type HashAlgorithm } from "../tpm/tpm.js";
import type { PcrBanks } from "./event-log-types.js";

export const EXPECTED_VALUES_FORMAT = "novakit-pcr-prediction/1";

/** One expected log record: what verify-log compares event by event. */
export interface ExpectedEvent {
  readonly number: number;
  readonly pcr: number;
  readonly type: number;
  readonly digests: Readonly<Partial<Record<HashAlgorithm, string>>>;
}

/** What `novakit measure --json` prints and `verify-log --expected` reads. */
export interface ExpectedValues {
  /** expected PCR values (hex) per bank per PCR index */
  readonly pcrs: ReadonlyMap<HashAlgorithm, ReadonlyMap<number, string>>;
  /** the expected records, when the file lists them */
  readonly events?: readonly ExpectedEvent[];
}

/**
 * Reads an expected-values JSON strictly: `pcrs` maps known banks to PCR index → hex digest of
 * the bank's size; `events`, when present, lists records with number, pcr, type and digests.
 * Anything else is NK-LOG-008 naming the field.
 */
export function parseExpectedValues(text: string, file: string): ExpectedValues {
  const fail = (message: string, field: string): NovakitError => new NovakitError(LaunchDiagnostic.LOG_BAD_EXPECTED, message, { file, field });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw fail(`not JSON: ${(error as Error).message}`, "(file)");
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw fail("expected a JSON object with a `pcrs` field", "(file)");
  const record = json as Record<string, unknown>;
  const pcrsJson = record["pcrs"];
  if (typeof pcrsJson !== "object" || pcrsJson === null || Array.isArray(pcrsJson)) throw fail("`pcrs` must be an object of banks", "pcrs");
  const pcrs = new Map<HashAlgorithm, Map<number, string>>();
  for (const [bank, values] of Object.entries(pcrsJson as Record<string, unknown>)) {
    if (!(HASH_ALGORITHMS as readonly string[]).includes(bank)) throw fail(`unknown bank "${bank}" (sha1, sha256, sha384, sha512)`, `pcrs.${bank}`);
    const algorithm = bank as HashAlgorithm;
    if (typeof values !== "object" || values === null || Array.isArray(values)) throw fail("a bank must map PCR indices to hex digests", `pcrs.${bank}`);
    const byPcr = new Map<number, string>();
    for (const [index, digest] of Object.entries(values as Record<string, unknown>)) {
      const pcr = Number(index);
      if (!/^\d+$/.test(index) || pcr > 23) throw fail(`"${index}" is not a PCR index 0-23`, `pcrs.${bank}.${index}`);
      byPcr.set(pcr, hexDigest(digest, algorithm, `pcrs.${bank}.${index}`, fail));
    }
    pcrs.set(algorithm, byPcr);
  }
  const eventsJson = record["events"];
  if (eventsJson === undefined) return { pcrs };
  if (!Array.isArray(eventsJson)) throw fail("`events` must be an array", "events");
  const events = eventsJson.map((item: unknown, index): ExpectedEvent => {
    const field = `events[${index}]`;
    if (typeof item !== "object" || item === null) throw fail("an event must be an object", field);
    const event = item as Record<string, unknown>;
    const integer = (key: string, max: number): number => {
      const value = event[key];
      if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > max) throw fail(`\`${key}\` must be an integer 0-${max}`, `${field}.${key}`);
      return value;
    };
    const digestsJson = event["digests"];
    if (typeof digestsJson !== "object" || digestsJson === null) throw fail("`digests` must map banks to hex digests", `${field}.digests`);
    const digests: Partial<Record<HashAlgorithm, string>> = {};
    for (const [bank, digest] of Object.entries(digestsJson as Record<string, unknown>)) {
      if (!(HASH_ALGORITHMS as readonly string[]).includes(bank)) throw fail(`unknown bank "${bank}"`, `${field}.digests.${bank}`);
      digests[bank as HashAlgorithm] = hexDigest(digest, bank as HashAlgorithm, `${field}.digests.${bank}`, fail);
    }
    return { number: integer("number", 0xffff_ffff), pcr: integer("pcr", 0xff), type: integer("type", 0xffff_ffff), digests };
  });
  return { pcrs, events };
}

function hexDigest(value: unknown, bank: HashAlgorithm, field: string, fail: (message: string, field: string) => NovakitError): string {
  const size = DIGEST_SIZE[bank];
  if (typeof value !== "string" || !new RegExp(`^[0-9a-fA-F]{${2 * size}}$`).test(value)) throw fail(`a ${bank} digest is ${2 * size} hex digits`, field);
  return value.toLowerCase();
}

/** Expected values as PcrBanks (bytes), for comparePcrs. */
export function expectedPcrBanks(expected: ExpectedValues): PcrBanks {
  const banks: PcrBanks = new Map();
  for (const [bank, values] of expected.pcrs) banks.set(bank, new Map([...values].map(([pcr, hex]) => [pcr, new Uint8Array(Buffer.from(hex, "hex"))])));
  return banks;
}
