import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { NovakitError } from "@novakit/kernel-core";
import {
  comparePcrs,
  eventTypeName,
  expectedPcrBanks,
  HASH_ALGORITHMS,
  LaunchDiagnostic,
  openTpm,
  parseEventLog,
  parseExpectedValues,
  replayEventLog,
  toHex,
  type ExpectedEvent,
  type LocatedEvent,
  type PcrBanks,
  type PcrMismatch,
} from "@novakit/txt-launch";
import { CLI_CODES } from "../args/cli-codes.js";
import { parseCommandArgs } from "../args/parse-command-args.js";
import { colorsFor } from "../io/colors.js";
import { stableJsonText } from "../output/canonical-json.js";
import type { Command } from "./command.js";

/** The first record that differs from the expected records: type, PCR, a digest, or a missing/extra record. */
function firstDivergingEvent(events: readonly LocatedEvent[], expected: readonly ExpectedEvent[]): { readonly number: number; readonly reason: string } | undefined {
  const count = Math.max(events.length, expected.length);
  for (let index = 0; index < count; index++) {
    const actual = events[index];
    const wanted = expected[index];
    if (actual === undefined) return { number: index + 1, reason: `the log ends; expected record ${index + 1} (PCR ${wanted?.pcr} ${eventTypeName(wanted?.type ?? 0)})` };
    if (wanted === undefined) return { number: actual.number, reason: `the log has an extra record (PCR ${actual.pcrIndex} ${eventTypeName(actual.eventType)})` };
    if (actual.pcrIndex !== wanted.pcr || actual.eventType !== wanted.type) {
      return { number: actual.number, reason: `PCR ${actual.pcrIndex} ${eventTypeName(actual.eventType)}, expected PCR ${wanted.pcr} ${eventTypeName(wanted.type)}` };
    }
    for (const [bank, digest] of actual.digests) {
      const want = wanted.digests[bank];
      if (want !== undefined && want !== toHex(digest)) return { number: actual.number, reason: `PCR ${actual.pcrIndex} ${eventTypeName(actual.eventType)}: ${bank} digest ${toHex(digest)}, expected ${want}` };
    }
  }
  return undefined;
}

export const verifyLogCommand: Command = {
  name: "verify-log",
  summary: "replay a TCG event log and compare it with a TPM's PCRs or expected values",
  help: `Usage: novakit verify-log LOG [--tpm URL | --expected FILE.json] [--json]

Parses a TCG crypto-agile event log strictly (Spec ID Event03 header, TCG_PCR_EVENT2 records)
and replays it into PCR values per bank. With --tpm, compares them with the PCRs the TPM reports
(tcp://host:port for swtpm, or "embedded"); with --expected, with the values and records of
\`novakit measure --json\`, naming the first diverging event. Without either, prints the replay.
Exit status: 0 match, 1 mismatch, 2 unreadable or malformed input.

Options:
  --tpm URL            read PCRs from this TPM (tcp://127.0.0.1:2321)
  --expected FILE      compare with this JSON (\`novakit measure --json\` output)
  --json               print { ok, banks, pcrs, mismatches, firstDivergingEvent }
  -h, --help           show this help
`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs("verify-log", argv, { tpm: { type: "string" }, expected: { type: "string" }, json: { type: "boolean" } }, 1);
    if (values["help"] === true) {
      io.stdout(this.help);
      return 0;
    }
    const logPath = positionals[0];
    if (logPath === undefined) throw new NovakitError(CLI_CODES.badOption, "verify-log: the LOG file is missing", {}, "run `novakit verify-log --help`");
    const tpmUrl = values["tpm"];
    const expectedPath = values["expected"];
    if (typeof tpmUrl === "string" && typeof expectedPath === "string") throw new NovakitError(CLI_CODES.badOption, "verify-log: give --tpm or --expected, not both");
    const absolute = resolve(io.cwd, logPath);
    const bytes = await readFile(absolute).catch((error: Error) => {
      throw new NovakitError(LaunchDiagnostic.FILE_UNREADABLE, `cannot read ${absolute}: ${error.message}`, { file: absolute });
    });
    const parsed = parseEventLog(new Uint8Array(bytes), absolute);
    const replay = replayEventLog(parsed.header, parsed.events);
    const pcrsInLog = [...new Set(parsed.events.filter((event) => event.pcrIndex <= 23).map((event) => event.pcrIndex))].sort((a, b) => a - b);

    let actual: PcrBanks | undefined;
    let diverging: { readonly number: number; readonly reason: string } | undefined;
    let source = "";
    if (typeof expectedPath === "string") {
      const expectedFile = resolve(io.cwd, expectedPath);
      const text = await readFile(expectedFile, "utf8").catch((error: Error) => {
        throw new NovakitError(LaunchDiagnostic.FILE_UNREADABLE, `cannot read ${expectedFile}: ${error.message}`, { file: expectedFile });
      });
      const expected = parseExpectedValues(text, expectedFile);
      actual = expectedPcrBanks(expected);
      if (expected.events !== undefined) diverging = firstDivergingEvent(parsed.events, expected.events);
      source = expectedFile;
    } else if (typeof tpmUrl === "string") {
      const tpm = openTpm(tpmUrl);
      try {
        // a TPM that is already running (swtpm after a boot) accepts this as a no-op
        await tpm.startup("clear");
        const active = await tpm.activeBanks();
        const banks = parsed.header.algorithms.filter((bank) => active.includes(bank));
        if (banks.length === 0) throw new NovakitError(LaunchDiagnostic.LOG_NO_COMMON_BANK, `the log's banks (${parsed.header.algorithms.join(", ")}) are not allocated on the TPM (${active.join(", ")})`, { file: absolute });
        actual = await tpm.pcrRead(pcrsInLog.length > 0 ? pcrsInLog : [17, 18, 19], banks);
      } finally {
        await tpm.close();
      }
      source = tpm.description;
    }

    const compared = actual === undefined ? [] : comparePcrs(replay, actual, pcrsInLog.length > 0 ? pcrsInLog : [17, 18, 19]);
    const commonBanks = actual === undefined ? [] : parsed.header.algorithms.filter((bank) => actual?.has(bank));
    if (actual !== undefined && commonBanks.length === 0) {
      throw new NovakitError(LaunchDiagnostic.LOG_NO_COMMON_BANK, `the log's banks (${parsed.header.algorithms.join(", ")}) and ${source} have none in common`, { file: absolute });
    }
    const firstMismatchEvent = (mismatch: PcrMismatch | undefined): number | undefined => mismatch?.firstEvent?.number;
    const firstEvent = diverging ?? (compared.length > 0 ? { number: firstMismatchEvent(compared[0]) ?? 0, reason: `the first record extended into PCR ${compared[0]?.pcr}` } : undefined);
    const ok = compared.length === 0 && diverging === undefined;
    const banks = HASH_ALGORITHMS.filter((bank) => replay.pcrs.has(bank));
    const pcrs = Object.fromEntries(banks.map((bank) => [bank, Object.fromEntries(pcrsInLog.map((pcr) => [String(pcr), toHex(replay.pcrs.get(bank)?.get(pcr) as Uint8Array)]))]));
    if (values["json"] === true) {
      io.stdout(
        stableJsonText({
          ok,
          log: absolute,
          records: parsed.events.length,
          banks,
          pcrs,
          comparedWith: source || null,
          mismatches: compared.map((mismatch) => ({ bank: mismatch.bank, pcr: mismatch.pcr, replayed: toHex(mismatch.expected), actual: toHex(mismatch.actual) })),
          firstDivergingEvent: firstEvent ?? null,
        }),
      );
      return ok ? 0 : 1;
    }
    const colors = colorsFor(io);
    io.stdout(`${absolute}: ${parsed.events.length} records, banks ${banks.join(", ")}${replay.drtm ? ", DRTM launch" : ""}\n`);
    for (const bank of banks) for (const pcr of pcrsInLog) io.stdout(`${bank.padEnd(6)} PCR ${pcr}: ${pcrs[bank]?.[String(pcr)]}\n`);
    if (actual === undefined) return 0;
    if (ok) {
      io.stdout(colors.green(`match: the replay equals ${source} in ${commonBanks.join(", ")}\n`));
      return 0;
    }
    for (const mismatch of compared) io.stdout(colors.red(`MISMATCH ${mismatch.bank} PCR ${mismatch.pcr}: log replays to ${toHex(mismatch.expected)}, ${source} has ${toHex(mismatch.actual)}\n`));
    if (firstEvent !== undefined) io.stdout(colors.red(`first diverging event: record ${firstEvent.number}: ${firstEvent.reason}\n`));
    return 1;
  },
};
