import { readFileSync } from "node:fs";
import { isNovakitError, NovakitError } from "@novakit/kernel-core";
import { CLI_CODES } from "./args/cli-codes.js";
import { bootCommand } from "./commands/boot.js";
import { cetCommand } from "./commands/cet.js";
import { checkCommand } from "./commands/check.js";
import type { Command } from "./commands/command.js";
import { composeCommand } from "./commands/compose.js";
import { initCommand } from "./commands/init.js";
import { importCommand } from "./commands/import.js";
import { inspectCommand } from "./commands/inspect.js";
import { matrixCommand } from "./commands/matrix.js";
import { pluginsCommand } from "./commands/plugins.js";
import { measureCommand } from "./commands/measure.js";
import { verifyLogCommand } from "./commands/verify-log.js";
import type { CliIo } from "./io/cli-io.js";

export const COMMANDS: readonly Command[] = Object.freeze([initCommand, composeCommand, checkCommand, bootCommand, inspectCommand, importCommand, pluginsCommand, cetCommand, measureCommand, verifyLogCommand, matrixCommand]);

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
    const command = COMMANDS.find((candidate) => candidate.name === first);
    if (command === undefined) {
      throw new NovakitError(
        CLI_CODES.unknownCommand,
        `unknown command "${first}"`,
        {},
        `commands: ${COMMANDS.map((candidate) => candidate.name).join(", ")}`,
      );
    }
    return await command.run(rest, io);
  } catch (error) {
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
