import { FuzzDiagnostic, fuzzError } from "../fuzz-diagnostics.js";

export interface FuzzCliOptions {
  readonly help: boolean;
  readonly list: boolean;
  /** target names (--target, repeatable or comma-separated); empty with --all */
  readonly targets: readonly string[];
  readonly all: boolean;
  readonly iterations?: number;
  readonly seconds?: number;
  readonly seed: number;
  readonly json: boolean;
  readonly report?: string;
  readonly corpus?: string;
  /** where minimised findings are saved; default packages/fuzz/regressions */
  readonly regressions?: string;
  /** --no-save: report findings but write no regression fixture */
  readonly save: boolean;
}

export const DEFAULT_ITERATIONS = 1_000;
export const DEFAULT_SEED = 1;
/** long runs are the point, but a typo such as 1e99 should not mean "forever" */
const MAX_ITERATIONS = 1_000_000_000;
const MAX_SECONDS = 7 * 24 * 3600;

export const FUZZ_USAGE = `Usage: npm run fuzz -- (--target NAME[,NAME…] | --all) [--iterations N | --seconds S] [--seed S]
                      [--json] [--report FILE] [--corpus DIR] [--regressions DIR] [--no-save]
       npm run fuzz -- --list

Mutation-based, outcome-guided fuzzing of Novakit's input parsers, starting from the project's
real fixtures. An input passes when the target returns or throws a NovakitError (a clear
diagnostic); anything else thrown is a finding: it is minimised (ddmin) and saved as
packages/fuzz/regressions/<target>/<sha256>.bin with a .txt saying what was thrown.

Options:
  --target NAME    fuzz this target (repeat or comma-separate for several)
  --all            fuzz every target
  --iterations N   mutants per target (default ${DEFAULT_ITERATIONS})
  --seconds S      instead: mutants per target until S seconds have passed
  --seed S         PRNG seed, decimal or 0x hex (default ${DEFAULT_SEED}); same seed + iterations = same run
  --list           name the targets
  --json           print the summaries as JSON
  --report FILE    write a vitest-JSON-compatible report (one test per target, passed = no finding)
  --corpus DIR     also start from DIR/<target>/*, and save the inputs that reached a new outcome there
  --regressions DIR  save findings under DIR instead of packages/fuzz/regressions
  --no-save        save no regression fixture
  -h, --help       show this help

Exit status: 0 no finding, 1 a finding, 2 a usage error.`;

/** Parses the fuzz CLI's arguments; a problem is a NovakitError with an NK-FUZ code. */
export function parseFuzzArguments(argv: readonly string[]): FuzzCliOptions {
  const targets: string[] = [];
  let help = false;
  let list = false;
  let all = false;
  let json = false;
  let save = true;
  let iterations: number | undefined;
  let seconds: number | undefined;
  let seed = DEFAULT_SEED;
  let report: string | undefined;
  let corpus: string | undefined;
  let regressions: string | undefined;

  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] as string;
    const [flag, inline] = argument.startsWith("--") && argument.includes("=") ? [argument.slice(0, argument.indexOf("=")), argument.slice(argument.indexOf("=") + 1)] : [argument, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[index + 1];
      if (next === undefined || (next.startsWith("--") && next.length > 2)) {
        throw fuzzError(FuzzDiagnostic.UNKNOWN_OPTION, `${flag} needs a value`, { field: flag }, FUZZ_USAGE.split("\n")[0]);
      }
      index++;
      return next;
    };
    switch (flag) {
      case "-h":
      case "--help":
        help = true;
        break;
      case "--list":
        list = true;
        break;
      case "--all":
        all = true;
        break;
      case "--json":
        json = true;
        break;
      case "--no-save":
        save = false;
        break;
      case "--target":
        targets.push(...value().split(",").map((name) => name.trim()).filter((name) => name.length > 0));
        break;
      case "--iterations":
        iterations = wholeNumber(flag, value(), 1, MAX_ITERATIONS);
        break;
      case "--seconds":
        seconds = positiveNumber(flag, value(), MAX_SECONDS);
        break;
      case "--seed":
        seed = wholeNumber(flag, value(), 0, 0xffff_ffff);
        break;
      case "--report":
        report = value();
        break;
      case "--corpus":
        corpus = value();
        break;
      case "--regressions":
        regressions = value();
        break;
      default:
        throw fuzzError(FuzzDiagnostic.UNKNOWN_OPTION, `unknown option ${JSON.stringify(argument)}`, { field: argument }, "npm run fuzz -- --help lists the options");
    }
  }

  if (!help && !list) {
    if (all && targets.length > 0) throw fuzzError(FuzzDiagnostic.CONFLICTING_OPTIONS, "--all and --target exclude each other", { field: "--all" });
    if (!all && targets.length === 0) throw fuzzError(FuzzDiagnostic.CONFLICTING_OPTIONS, "name a target (--target NAME) or use --all", {}, "npm run fuzz -- --list names the targets");
    if (iterations !== undefined && seconds !== undefined) throw fuzzError(FuzzDiagnostic.CONFLICTING_OPTIONS, "--iterations and --seconds exclude each other", { field: "--seconds" });
  }
  return {
    help,
    list,
    targets,
    all,
    ...(iterations === undefined && seconds === undefined ? { iterations: DEFAULT_ITERATIONS } : {}),
    ...(iterations === undefined ? {} : { iterations }),
    ...(seconds === undefined ? {} : { seconds }),
    seed,
    json,
    ...(report === undefined ? {} : { report }),
    ...(corpus === undefined ? {} : { corpus }),
    ...(regressions === undefined ? {} : { regressions }),
    save,
  };
}

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const value = /^0x[0-9a-f]+$/i.test(text) ? Number.parseInt(text.slice(2), 16) : /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw fuzzError(FuzzDiagnostic.BAD_NUMBER, `${flag} ${JSON.stringify(text)} is not a whole number from ${min} to ${max}`, { field: flag });
  }
  return value;
}

function positiveNumber(flag: string, text: string, max: number): number {
  const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!(value > 0) || value > max) throw fuzzError(FuzzDiagnostic.BAD_NUMBER, `${flag} ${JSON.stringify(text)} is not a number of seconds above 0 and at most ${max}`, { field: flag });
  return value;
}
