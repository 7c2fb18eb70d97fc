import { parseCommandArgs } from "../args/parse-command-args.js";
import { CLI_CODES } from "../args/cli-codes.js";
import { stableJsonText } from "../output/canonical-json.js";
import { toJsonValue } from "../output/json-value.js";
import { NovakitError } from "@novakit/kernel-core";
import type { Command } from "./command.js";
import { MATRIX_PLUGIN_SETS, MATRIX_SCENARIOS, matrixCombinations, type MatrixCombination } from "./matrix-combinations.js";

export const matrixCommand: Command = {
  name: "matrix",
  summary: "list the valid combinations of platform profile, plugin set and scenario (for CI matrices)",
  help: `Usage: novakit matrix [--json] [--rejected] [--format github]

Enumerates every built-in platform profile (both architectures) x plugin set x scenario and checks
each combination as \`novakit check\` would (plugin constraints, CPU features, the CFP level, the
launch method, the devices a scenario needs). Prints the valid ones; --rejected adds the others
with the reason and diagnostic code.

Plugin sets: ${Object.keys(MATRIX_PLUGIN_SETS).join(", ")} (beyond the plugins added by default)
Scenarios:   ${MATRIX_SCENARIOS.join(", ")}

Options:
  --json             print { combinations: [...] } (with --rejected: rejected ones too, with reason)
  --rejected         also list the combinations the constraints rule out, and why
  --format github    print a GitHub Actions strategy.matrix: { "include": [ {arch, platform, plugins, scenario} ] }
  -h, --help         show this help
`,
  async run(argv, io) {
    const { values } = parseCommandArgs("matrix", argv, { json: { type: "boolean" }, rejected: { type: "boolean" }, format: { type: "string" } }, 0);
    if (values["help"] === true) {
      io.stdout(this.help);
      return 0;
    }
    const format = values["format"];
    if (format !== undefined && format !== "github") {
      throw new NovakitError(CLI_CODES.badOptionValue, `matrix: --format expects "github", got "${String(format)}"`, { field: "--format" });
    }
    const combinations = await matrixCombinations(io.cwd);
    const valid = combinations.filter((combination) => combination.rejected === undefined);
    const shown = values["rejected"] === true ? combinations : valid;
    const key = (c: MatrixCombination) => ({ arch: c.arch, platform: c.platform, plugins: c.plugins, scenario: c.scenario });
    if (format === "github") {
      io.stdout(stableJsonText(toJsonValue({ include: valid.map(key) })));
      return 0;
    }
    if (values["json"] === true) {
      io.stdout(stableJsonText(toJsonValue({ combinations: shown.map((c) => ({ ...key(c), valid: c.rejected === undefined, ...(c.rejected ? { rejected: c.rejected } : {}) })) })));
      return 0;
    }
    const width = (pick: (c: MatrixCombination) => string) => Math.max(...shown.map((c) => pick(c).length));
    const widths = [width((c) => c.arch), width((c) => c.platform), width((c) => c.plugins), width((c) => c.scenario)];
    for (const c of shown) {
      const cells = [c.arch, c.platform, c.plugins, c.scenario].map((cell, index) => cell.padEnd(widths[index] ?? 0));
      io.stdout(`${`${cells.join("  ")}${c.rejected === undefined ? "" : `  rejected [${c.rejected.code}]: ${c.rejected.reason}`}`.trimEnd()}\n`);
    }
    io.stdout(`${valid.length} valid of ${combinations.length} combinations\n`);
    return 0;
  },
};
