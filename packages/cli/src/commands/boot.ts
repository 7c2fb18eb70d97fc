import { NovakitError } from "@novakit/kernel-core";
import { CLI_CODES } from "../args/cli-codes.js";
import { parseArchOption } from "../config/arch-option.js";
import { parseCommandArgs } from "../args/parse-command-args.js";
import { colorsFor } from "../io/colors.js";
import { stableJsonText } from "../output/canonical-json.js";
import { toJsonValue } from "../output/json-value.js";
import { resolve } from "node:path";
import { writeFileAtomic } from "../output/write-file-atomic.js";
import { bootMeasured } from "./measured-boot.js";
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
  help: `Usage: novakit boot [CONFIG] [--arch ARCH] [--seed N] [--json] [--quiet] [--tpm URL] [--event-log FILE]

Creates a kernel from the configuration (CONFIG, else novakit.config.* in the working directory,
else the built-in default: the shared AI host, two tenant VMs with accelerators and NICs behind the
AMD IOMMU on qemu-q35-amd-iommu-ai-host), boots it and runs the domains for durationMs simulated
milliseconds. Prints the boot log, then a summary: CPU time per domain, IPC round trips, DMA
isolation, the measured launch, faults. Same configuration and seed, same output.

Options:
  --arch ARCH  x86_64 or aarch64: the arch of a portable configuration (one with targets) to
             boot; a configuration with a fixed arch accepts only that one (else exit 2)
  --seed N   simulator seed (overrides the configuration's seed)
  --json     print the BootResult as JSON (bigints as "0x..." strings, the HIP as hex)
  --quiet    leave out the boot log
  --tpm URL  the measured launch (@novakit/txt-launch) uses this TPM: "embedded" (default) or
             tcp://host:port (swtpm; its control channel at port + 1)
  --event-log FILE  write the measured launch's TCG event log (crypto-agile) to FILE
  -h, --help show this help
`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      "boot",
      argv,
      { seed: { type: "string" }, json: { type: "boolean" }, quiet: { type: "boolean" }, tpm: { type: "string" }, "event-log": { type: "string" }, arch: { type: "string" } },
      1,
    );
    if (values["help"] === true) {
      io.stdout(this.help);
      return 0;
    }
    const seedText = values["seed"];
    const seed = typeof seedText === "string" ? parseSeed("boot", seedText) : undefined;
    const arch = parseArchOption("boot", values["arch"]);
    const tpm = values["tpm"];
    const { result, eventLog } = await bootMeasured(io.cwd, positionals[0], seed, typeof tpm === "string" ? tpm : undefined, arch);
    const eventLogPath = values["event-log"];
    if (typeof eventLogPath === "string") {
      if (eventLog === undefined) throw new NovakitError(CLI_CODES.badOptionValue, "boot: --event-log needs a measured launch (the @novakit/txt-launch plugin) in the configuration");
      await writeFileAtomic(resolve(io.cwd, eventLogPath), eventLog);
    }
    if (values["json"] === true) {
      const json = toJsonValue(result) as { readonly [key: string]: unknown };
      io.stdout(stableJsonText((eventLog === undefined ? json : { ...json, measuredLaunch: { eventLog: Buffer.from(eventLog).toString("base64") } }) as never));
      return 0;
    }
    if (values["quiet"] !== true) io.stdout(`${result.log.join("\n")}\n\n`);
    io.stdout(colorsFor(io).bold(`${result.configName} (seed ${result.seed}) on ${result.platform.name}\n`));
    io.stdout(bootSummary(result));
    return 0;
  },
};
