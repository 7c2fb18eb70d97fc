import { NovakitError } from "@novakit/kernel-core";
import { CLI_CODES } from "../args/cli-codes.js";
import { parseCommandArgs } from "../args/parse-command-args.js";
import { colorsFor } from "../io/colors.js";
import { stableJsonText } from "../output/canonical-json.js";
import { toJsonValue } from "../output/json-value.js";
import { bootConfiguration } from "./boot-configuration.js";
import { bootSummary } from "./boot-summary.js";
import type { Command } from "./command.js";

export function parseSeed(command: string, text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 0xffff_ffff) {
    throw new NovakitError(CLI_CODES.badOptionValue, `${command}: --seed expects an integer from 0 to 4294967295, got "${text}"`);
  }
  return Number(text);
}

export const bootCommand: Command = {
  name: "boot",
  summary: "boot a configuration in the deterministic simulator",
  help: `Usage: novakit boot [CONFIG] [--seed N] [--json] [--quiet]

Creates a kernel from the configuration (CONFIG, else novakit.config.* in the working directory,
else the built-in default: x86_64 on qemu-q35-amd-iommu with three domains), boots it and runs
the domains for durationMs simulated milliseconds. Prints the boot log, then a summary: CPU time
per domain, IPC round trips, faults. Same configuration and seed, same output.

Options:
  --seed N   simulator seed (overrides the configuration's seed)
  --json     print the BootResult as JSON (bigints as "0x..." strings, the HIP as hex)
  --quiet    leave out the boot log
  -h, --help show this help
`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      "boot",
      argv,
      { seed: { type: "string" }, json: { type: "boolean" }, quiet: { type: "boolean" } },
      1,
    );
    if (values["help"] === true) {
      io.stdout(this.help);
      return 0;
    }
    const seedText = values["seed"];
    const seed = typeof seedText === "string" ? parseSeed("boot", seedText) : undefined;
    const { result } = await bootConfiguration(io.cwd, positionals[0], seed);
    if (values["json"] === true) {
      io.stdout(stableJsonText(toJsonValue(result)));
      return 0;
    }
    if (values["quiet"] !== true) io.stdout(`${result.log.join("\n")}\n\n`);
    io.stdout(colorsFor(io).bold(`${result.configName} (seed ${result.seed}) on ${result.platform.name}\n`));
    io.stdout(bootSummary(result));
    return 0;
  },
};
