import { parseArgs, type ParseArgsConfig } from "node:util";
import { NovakitError } from "@novakit/kernel-core";
import { CLI_CODES } from "./cli-codes.js";

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

export interface ParsedCommandArgs {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
}

/**
 * node:util parseArgs in strict mode, with its TypeErrors (ERR_PARSE_ARGS_*) turned into a
 * NovakitError so a usage mistake is one clear line and exit status 2, not a stack trace.
 */
export function parseCommandArgs(
  command: string,
  argv: readonly string[],
  options: OptionSpec,
  maxPositionals: number,
): ParsedCommandArgs {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new NovakitError(CLI_CODES.badOption, `${command}: ${(error as Error).message}`, {}, `run \`novakit ${command} --help\``);
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new NovakitError(
      CLI_CODES.unexpectedArgument,
      `${command}: unexpected argument "${parsed.positionals[maxPositionals]}"`,
      {},
      `run \`novakit ${command} --help\``,
    );
  }
  const values: Record<string, string | boolean | undefined> = {};
  for (const [key, value] of Object.entries(parsed.values)) values[key] = Array.isArray(value) ? value.at(-1) : value;
  return { values, positionals: parsed.positionals };
}
