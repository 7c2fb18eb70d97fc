import type { CliIo } from "../io/cli-io.js";

/** One `novakit <name>` command. run() returns the exit status: 0 ok, 1 a check failed; usage and input errors throw a NovakitError (status 2). */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly help: string;
  run(argv: readonly string[], io: CliIo): Promise<number>;
}
