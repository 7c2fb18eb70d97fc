import { readFileSync } from "node:fs";
import { CLI_CODES } from "./args/cli-codes.js";
import type { Command } from "./commands/command.js";
import type { CliIo } from "./io/cli-io.js";

/**
 * What the global help and the dispatcher need to know of a command without loading it: its name
 * and one-line summary, and how to load its implementation. Loading is deferred because a
 * command module pulls in the kernel, the plugins and zod (~0.5 s of module loading), which
 * `novakit --help`, `--version` and a mistyped command never need.
 */
export interface CommandEntry {
  readonly name: string;
  /** the same text as the loaded command's `summary` (cli.test.ts checks that they agree) */
  readonly summary: string;
  load(): Promise<Command>;
}

/**
 * Every command, in help order, one line each: `entry(name, summary, () => import(module).then(
 * (m) => m.exportName))`. The dynamic import() stays literal so that bundlers and tsc see it.
 */
export const COMMANDS: readonly CommandEntry[] = Object.freeze([
  entry("init", "write a commented novakit.config.ts", () => import("./commands/init.js").then((m) => m.initCommand)),
  entry("compose", "resolve a configuration into a bootable configuration (stable JSON with a hash)", () => import("./commands/compose.js").then((m) => m.composeCommand)),
  entry("check", "validate a configuration, resolve its plugins, check it against the platform", () => import("./commands/check.js").then((m) => m.checkCommand)),
  entry("boot", "boot a configuration in the deterministic simulator", () => import("./commands/boot.js").then((m) => m.bootCommand)),
  entry("inspect", "boot a configuration and show (or dump) one page table", () => import("./commands/inspect.js").then((m) => m.inspectCommand)),
  entry("report", "boot a configuration and write a self-contained HTML report", () => import("./commands/report.js").then((m) => m.reportCommand)),
  entry("import", "import a real machine's firmware tables (acpidump, raw tables) as a platform", () => import("./commands/import.js").then((m) => m.importCommand)),
  entry("plugins", "list built-in plugins, platform profiles and workloads", () => import("./commands/plugins.js").then((m) => m.pluginsCommand)),
  entry("plugin", "create plugin packages (plugin new NAME); see `plugins` for the built-in ones", () => import("./commands/plugin.js").then((m) => m.pluginCommand)),
  entry("cet", "check an ELF64 x86-64 binary for CET: IBT/SHSTK property, ENDBR64 entries, CFP verdicts", () => import("./commands/cet.js").then((m) => m.cetCommand)),
  entry("measure", "predict the measured launch's PCR 17/18/19 values and event log without booting", () => import("./commands/measure.js").then((m) => m.measureCommand)),
  entry("verify-log", "replay a TCG event log and compare it with a TPM's PCRs or expected values", () => import("./commands/verify-log.js").then((m) => m.verifyLogCommand)),
  entry("matrix", "list the valid combinations of platform profile, plugin set and scenario (for CI matrices)", () => import("./commands/matrix.js").then((m) => m.matrixCommand)),
]);

function entry(name: string, summary: string, load: () => Promise<Command>): CommandEntry {
  return Object.freeze({ name, summary, load });
}

/** The CLI package's version (package.json sits one level above both src/ and dist/). */
export function cliVersion(): string {
  const packageJson = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return packageJson.version;
}

function globalHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return `Usage: novakit <command> [options]

Compose, check and boot NOVA microhypervisor configurations.

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join("\n")}

Options:
  -h, --help     show this help (novakit <command> --help for a command)
  -v, --version  print the version

Exit status: 0 ok, 1 a check failed, 2 usage or input error.
`;
}

/**
 * Runs one novakit invocation and returns its exit status. A NovakitError becomes one line on
 * stderr (`novakit: error: <describe()>`) and status 2; commands write files atomically, so
 * nothing is left half-written. Any other exception is a bug in novakit or a plugin: it is
 * reported as an internal error, with the stack only when NOVAKIT_DEBUG is set.
 *
 * The kernel (NovakitError included) is loaded only on the paths that need it, for the same
 * reason the commands are: help and version stay at Node's own start-up cost.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === undefined || first === "--help" || first === "-h" || first === "help") {
      io.stdout(globalHelp());
      return 0;
    }
    if (first === "--version" || first === "-v") {
      io.stdout(`${cliVersion()}\n`);
      return 0;
    }
    const found = COMMANDS.find((candidate) => candidate.name === first);
    if (found === undefined) {
      const { NovakitError } = await import("@novakit/kernel-core");
      throw new NovakitError(
        CLI_CODES.unknownCommand,
        `unknown command "${first}"`,
        {},
        `commands: ${COMMANDS.map((candidate) => candidate.name).join(", ")}`,
      );
    }
    const command = await found.load();
    return await command.run(rest, io);
  } catch (error) {
    const { isNovakitError } = await import("@novakit/kernel-core");
    if (isNovakitError(error)) {
      io.stderr(`novakit: error: ${error.describe()}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`novakit: internal error: ${message}\n`);
    if (io.env["NOVAKIT_DEBUG"] && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return 2;
  }
}
