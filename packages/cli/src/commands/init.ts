import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { NovakitError } from "@novakit/kernel-core";
import { CLI_CODES } from "../args/cli-codes.js";
import { parseCommandArgs } from "../args/parse-command-args.js";
import { stableJsonText } from "../output/canonical-json.js";
import { writeFileAtomic } from "../output/write-file-atomic.js";
import type { Command } from "./command.js";
import { initFromFirmware } from "./init-from-firmware.js";
import { INIT_TEMPLATE } from "./init-template.js";

export const initCommand: Command = {
  name: "init",
  summary: "write a commented novakit.config.ts",
  help: `Usage: novakit init [--from FILE [--cpu CPUINFO]] [--force] [--json]

Writes novakit.config.ts in the working directory with a comment on every key: a small starting
configuration (three native domains on QEMU q35), or, with --from, one for a real machine.

--from FILE reads the machine's firmware: an \`acpidump\` output, a raw table or a folder of raw
tables (x86_64; the platform is imported as \`novakit import\` does and saved as
<name>.profile.json next to the configuration), or a flattened device tree (.dtb, AArch64; the
configuration names it). It chooses the arch, the plugins the vendor calls for (AMD IOMMU, the
measured launch when the CPU can do it, CET) and the profile, and says why in a comment each.

Refuses to overwrite an existing file unless --force is given.

Options:
  --from FILE     start from a real machine's firmware (acpidump text, raw tables, .dtb)
  --cpu CPUINFO   with --from and ACPI input: the machine's /proc/cpuinfo (CPU model and features)
  --force         overwrite existing files
  --json          print { "file": ..., "profile"?: ... } instead of a sentence
  -h, --help      show this help
`,
  async run(argv, io) {
    const { values } = parseCommandArgs(
      "init",
      argv,
      { force: { type: "boolean" }, json: { type: "boolean" }, from: { type: "string" }, cpu: { type: "string" } },
      0,
    );
    if (values["help"] === true) {
      io.stdout(this.help);
      return 0;
    }
    const path = join(io.cwd, "novakit.config.ts");
    const from = values["from"];
    const cpu = values["cpu"];
    if (typeof cpu === "string" && typeof from !== "string") {
      throw new NovakitError(CLI_CODES.badOption, "init: --cpu only goes with --from", { field: "--cpu" }, "novakit init --from acpidump.txt --cpu cpuinfo.txt");
    }
    // everything is computed before anything is written: bad firmware leaves no half-made project
    const made = typeof from === "string" ? initFromFirmware(resolve(io.cwd, from), io.cwd, typeof cpu === "string" ? resolve(io.cwd, cpu) : undefined) : { config: INIT_TEMPLATE };
    const profilePath = made.profile === undefined ? undefined : join(io.cwd, made.profile.fileName);
    for (const target of [path, profilePath]) {
      if (target !== undefined && existsSync(target) && values["force"] !== true) {
        throw new NovakitError(CLI_CODES.refuseOverwrite, `${target.replace(/^.*\//, "")} already exists`, { file: target }, "pass --force to overwrite it");
      }
    }
    if (made.profile !== undefined && profilePath !== undefined) await writeFileAtomic(profilePath, made.profile.text);
    await writeFileAtomic(path, made.config);
    if (values["json"] === true) {
      io.stdout(stableJsonText(profilePath === undefined ? { file: path } : { file: path, profile: profilePath }));
    } else {
      if (profilePath !== undefined) io.stdout(`wrote ${profilePath}\n`);
      io.stdout(`wrote ${path}\n`);
    }
    return 0;
  },
};
