import { existsSync } from "node:fs";
import { join } from "node:path";
import { NovakitError } from "@novakit/kernel-core";
import { CLI_CODES } from "../args/cli-codes.js";
import { parseCommandArgs } from "../args/parse-command-args.js";
import { stableJsonText } from "../output/canonical-json.js";
import { writeFileAtomic } from "../output/write-file-atomic.js";
import type { Command } from "./command.js";
import { INIT_TEMPLATE } from "./init-template.js";

export const initCommand: Command = {
  name: "init",
  summary: "write a commented novakit.config.ts",
  help: `Usage: novakit init [--force] [--json]

Writes novakit.config.ts in the working directory: the built-in default configuration with a
comment on every key. Refuses to overwrite an existing file unless --force is given.

Options:
  --force    overwrite an existing novakit.config.ts
  --json     print { "file": ... } instead of a sentence
  -h, --help show this help
`,
  async run(argv, io) {
    const { values } = parseCommandArgs("init", argv, { force: { type: "boolean" }, json: { type: "boolean" } }, 0);
    if (values["help"] === true) {
      io.stdout(this.help);
      return 0;
    }
    const path = join(io.cwd, "novakit.config.ts");
    if (existsSync(path) && values["force"] !== true) {
      throw new NovakitError(CLI_CODES.refuseOverwrite, "novakit.config.ts already exists", { file: path }, "pass --force to overwrite it");
    }
    await writeFileAtomic(path, INIT_TEMPLATE);
    io.stdout(values["json"] === true ? stableJsonText({ file: path }) : `wrote ${path}\n`);
    return 0;
  },
};
