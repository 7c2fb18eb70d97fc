import { isAbsolute, relative, resolve, sep } from "node:path";
import { NovakitError } from "@novakit/kernel-core";
import { parseCommandArgs } from "../args/parse-command-args.js";
import { colorsFor } from "../io/colors.js";
import type { CliIo } from "../io/cli-io.js";
import { stableJsonText } from "../output/canonical-json.js";
import { parsePluginPackageName } from "../scaffold/package-name.js";
import { SCAFFOLD_CODES } from "../scaffold/scaffold-codes.js";
import { DEFAULT_SCAFFOLD_KIND, parseScaffoldKind, scaffoldKinds } from "../scaffold/scaffold-kind.js";
import { scaffoldPlugin, type ScaffoldResult } from "../scaffold/scaffold-plugin.js";
import type { Command } from "./command.js";

const NEW_HELP = `Usage: novakit plugin new NAME [--dir DIR] [--kind KIND] [--json]

Scaffolds an npm package for a Novakit plugin: package.json, tsconfig.json, tsconfig.build.json,
vitest.config.ts, README.md, src/index.ts (definePlugin: manifest, zod options schema, one hook
tap), src/options.ts and src/<name>.test.ts, a test that boots a minimal kernel around the
plugin with kernel-core's test kit and checks the tap fired. Scheduler plugins also get
src/<name>-policy.ts. Inside the Novakit repository the configurations extend the repository's;
anywhere else they stand alone. The package typechecks and its test passes as generated.

NAME is an npm package name, scoped or not: novakit-plugin-foo, @acme/novakit-plugin-foo.
Never overwrites: DIR must be missing or empty.

Options:
  --dir DIR    where to create the package (default: ./NAME without its scope)
  --kind KIND  ${scaffoldKinds().join(", ")} (default ${DEFAULT_SCAFFOLD_KIND})
  --json       print { name, kind, directory, files, nextSteps } as JSON
  -h, --help   show this help
`;

/** Subcommands of `novakit plugin`, with their one-line summaries for the help. */
const SUBCOMMANDS: readonly { readonly name: string; readonly summary: string }[] = [
  { name: "new", summary: "scaffold a plugin package (manifest, options schema, a test that boots a kernel around it)" },
];

/** How the user refers to the new directory: relative to the working directory when inside it. */
function displayPath(cwd: string, directory: string): string {
  const fromCwd = relative(cwd, directory);
  if (fromCwd === "") return ".";
  if (fromCwd.startsWith("..") || isAbsolute(fromCwd)) return directory;
  return `.${sep}${fromCwd}`;
}

function nextSteps(cwd: string, result: ScaffoldResult): string[] {
  const where = displayPath(cwd, result.directory);
  const steps = where === "." ? [] : [`cd ${where}`];
  // inside the repository the root's node_modules already hold kernel-core, zod and the tools
  if (result.repositoryRoot === undefined) steps.push("npm install");
  steps.push("npm test", "npm run typecheck");
  return steps;
}

async function runNew(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs("plugin new", argv, { dir: { type: "string" }, kind: { type: "string" }, json: { type: "boolean" } }, 1);
  if (values["help"] === true) {
    io.stdout(NEW_HELP);
    return 0;
  }
  const name = positionals[0];
  if (name === undefined) {
    throw new NovakitError(SCAFFOLD_CODES.missingName, "plugin new: NAME is missing", { field: "NAME" }, "novakit plugin new novakit-plugin-foo");
  }
  const packageName = parsePluginPackageName(name);
  const kind = parseScaffoldKind(typeof values["kind"] === "string" ? values["kind"] : undefined);
  const dir = typeof values["dir"] === "string" ? values["dir"] : packageName.unscoped;
  const result = await scaffoldPlugin({ name, kind, directory: resolve(io.cwd, dir) });
  const steps = nextSteps(io.cwd, result);
  if (values["json"] === true) {
    io.stdout(stableJsonText({ name: result.name, kind: result.kind, directory: result.directory, files: [...result.files], nextSteps: steps }));
    return 0;
  }
  const colors = colorsFor(io);
  io.stdout(`${colors.green("Created")} ${colors.bold(result.name)} (${/^[aeiou]/.test(result.kind) ? "an" : "a"} ${result.kind} plugin) in ${displayPath(io.cwd, result.directory)}:\n`);
  for (const file of result.files) io.stdout(`  ${file}\n`);
  io.stdout(`\nNext:\n${steps.map((step) => `  ${step}\n`).join("")}`);
  io.stdout(`\nThe hooks, the test kit and the stability policy: docs/plugins.md in the Novakit repository.\n`);
  return 0;
}

/**
 * `novakit plugin <subcommand>`: tools for plugin authors. Distinct from `novakit plugins`, which
 * lists the plugins that ship with novakit.
 */
export const pluginCommand: Command = {
  name: "plugin",
  summary: "create plugin packages (plugin new NAME); see `plugins` for the built-in ones",
  help: `Usage: novakit plugin <subcommand> [options]

Tools for plugin authors. (\`novakit plugins\` lists the plugins that ship with novakit.)

Subcommands:
${SUBCOMMANDS.map((subcommand) => `  ${subcommand.name.padEnd(4)}  ${subcommand.summary}`).join("\n")}

Options:
  -h, --help  show this help (novakit plugin <subcommand> --help for a subcommand)
`,
  async run(argv, io) {
    const [subcommand, ...rest] = argv;
    if (subcommand === "--help" || subcommand === "-h" || subcommand === "help") {
      io.stdout(this.help);
      return 0;
    }
    if (subcommand === "new") return runNew(rest, io);
    const known = SUBCOMMANDS.map((entry) => entry.name).join(", ");
    throw new NovakitError(
      SCAFFOLD_CODES.unknownSubcommand,
      subcommand === undefined ? "plugin: a subcommand is missing" : `plugin: unknown subcommand "${subcommand}"`,
      {},
      `subcommands: ${known} (novakit plugin --help)`,
    );
  },
};
