import { join, resolve } from "node:path";
import { parseCommandArgs } from "../args/parse-command-args.js";
import { discoverAndVerify, prepareConfiguration } from "../config/prepare-configuration.js";
import { stableJsonText } from "../output/canonical-json.js";
import { writeFileAtomic } from "../output/write-file-atomic.js";
import { bootableConfiguration } from "./bootable-configuration.js";
import type { Command } from "./command.js";

export const BOOTABLE_FILE_NAME = "bootable.json";

export const composeCommand: Command = {
  name: "compose",
  summary: "resolve a configuration into a bootable configuration (stable JSON with a hash)",
  help: `Usage: novakit compose [CONFIG] [-o DIR] [--json]

Validates the configuration, resolves its plugins, discovers the platform and prints the
bootable configuration: plugin order with versions and options, platform summary, NOVA command
line, and a content hash (sha256 of the canonical JSON). Same configuration, same bytes.

Options:
  -o, --out DIR  also write DIR/${BOOTABLE_FILE_NAME} (written to a temporary name, then renamed)
  --json         print the bootable configuration as JSON (default: a short summary)
  -h, --help     show this help
`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs("compose", argv, { out: { type: "string", short: "o" }, json: { type: "boolean" } }, 1);
    if (values["help"] === true) {
      io.stdout(this.help);
      return 0;
    }
    const prepared = await prepareConfiguration(io.cwd, positionals[0]);
    // A bootable configuration must not contain what `check` calls an error (warnings are fine).
    const { platform } = await discoverAndVerify(prepared);
    const bootable = bootableConfiguration(prepared, platform) as { [key: string]: unknown } & { hash: string };
    const text = stableJsonText(bootable as never);
    const out = values["out"];
    let written: string | undefined;
    if (typeof out === "string") {
      written = join(resolve(io.cwd, out), BOOTABLE_FILE_NAME);
      await writeFileAtomic(written, text);
    }
    if (values["json"] === true) {
      io.stdout(text);
      return 0;
    }
    io.stdout(`${prepared.source.label}: ${prepared.config.name ?? "(unnamed)"} (${prepared.config.arch}) on ${platform.name}\n`);
    io.stdout(`plugins: ${prepared.plugins.map((resolved) => `${resolved.plugin.name}@${resolved.plugin.version}`).join(", ")}\n`);
    io.stdout(`cmdline: ${JSON.stringify(prepared.config.cmdline ?? "")}\n`);
    io.stdout(`make:    ${(bootable["makeFlags"] as string[]).join(" ")}\n`);
    io.stdout(`hash:    ${bootable.hash}\n`);
    if (written !== undefined) io.stdout(`wrote ${written}\n`);
    return 0;
  },
};
