import "reflect-metadata";
import { writeFileSync } from "node:fs";
import { NovakitError } from "@novakit/kernel-core";
import { DEFAULT_AI_HOST, Q35_TWO_DOMAINS, type FaultConfiguration } from "./fault-configurations.js";
import { sweepConfiguration, type SweepSummary } from "./exhaustion-sweep.js";
import { formatSweepTable, vitestSummary } from "./sweep-report.js";

/**
 * `npm run faults [-- --json] [--report FILE] [--sample N] [--config NAME] [--fail-all-after]`:
 * kernel memory exhaustion at every allocation site of a boot of the q35 two-domain example and
 * of the default AI host. Prints the table (or JSON), writes a vitest-json-compatible
 * {numPassedTests, numFailedTests} summary for CI's tally with --report, exits 1 when an
 * injection ended unclean (silent, unhandled or leaking).
 */
interface FaultsCliOptions {
  readonly json: boolean;
  readonly report: string | undefined;
  readonly sample: number | undefined;
  readonly configs: readonly FaultConfiguration[];
  readonly failAllAfter: boolean;
}

const CONFIGURATIONS: readonly FaultConfiguration[] = [Q35_TWO_DOMAINS, DEFAULT_AI_HOST];

function parseArguments(argv: readonly string[]): FaultsCliOptions {
  let json = false;
  let report: string | undefined;
  let sample: number | undefined;
  let failAllAfter = false;
  let configs = CONFIGURATIONS;
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new NovakitError("NK-FLT-001", `${argument} needs a value`, { field: argument });
      return next;
    };
    if (argument === "--json") json = true;
    else if (argument === "--report") report = value();
    else if (argument === "--fail-all-after") failAllAfter = true;
    else if (argument === "--sample") {
      const text = value();
      sample = Number(text);
      if (!Number.isSafeInteger(sample) || sample < 1) throw new NovakitError("NK-FLT-001", `--sample wants a positive integer, not "${text}"`, { field: "--sample" });
    } else if (argument === "--config") {
      const name = value();
      const found = CONFIGURATIONS.find((config) => config.name === name);
      if (found === undefined) {
        throw new NovakitError("NK-FLT-001", `unknown configuration "${name}"`, { field: "--config" }, `one of: ${CONFIGURATIONS.map((c) => c.name).join(", ")}`);
      }
      configs = [found];
    } else throw new NovakitError("NK-FLT-001", `unknown option "${argument ?? ""}"`, { field: "argv" }, "options: --json --report FILE --sample N --config NAME --fail-all-after");
  }
  return { json, report, sample, configs, failAllAfter };
}

async function main(argv: readonly string[]): Promise<number> {
  let options: FaultsCliOptions;
  try {
    options = parseArguments(argv);
  } catch (error) {
    if (!(error instanceof NovakitError)) throw error;
    process.stderr.write(`error ${error.code}: ${error.message}${error.hint ? `\n  hint: ${error.hint}` : ""}\n`);
    return 2;
  }
  const summaries: SweepSummary[] = [];
  for (const configuration of options.configs) {
    const prepared = await configuration.prepare();
    summaries.push(
      await sweepConfiguration(configuration.name, prepared, {
        ...(options.sample !== undefined ? { sample: options.sample } : {}),
        failAllAfter: options.failAllAfter,
        progress: (done, total) => {
          if (process.stderr.isTTY) process.stderr.write(`\r${configuration.name}: ${done}/${total}`);
        },
      }),
    );
    if (process.stderr.isTTY) process.stderr.write("\n");
  }
  if (options.json) process.stdout.write(`${JSON.stringify(summaries, null, 2)}\n`);
  else process.stdout.write(formatSweepTable(summaries));
  if (options.report !== undefined) writeFileSync(options.report, `${JSON.stringify(vitestSummary(summaries), null, 2)}\n`);
  return summaries.every((summary) => summary.findings.length === 0) ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
