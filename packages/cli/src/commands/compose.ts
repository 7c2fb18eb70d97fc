import { join, resolve } from "node:path";
import { parseCommandArgs } from "../args/parse-command-args.js";
import { parseArchOption } from "../config/arch-option.js";
import { discoverAndVerify, prepareConfiguration } from "../config/prepare-configuration.js";
import { stableJsonText } from "../output/canonical-json.js";
import { writeFileAtomic } from "../output/write-file-atomic.js";
import { bootableConfiguration } from "./bootable-configuration.js";
import { composeArtifacts } from "./compose-artifacts.js";
import type { Command } from "./command.js";


export const composeCommand: Command = {
  name: "compose",
  summary: "resolve a configuration into a bootable configuration (stable JSON with a hash)",
  help: `Usage: novakit compose [CONFIG] [--arch ARCH] [-o DIR] [--json]

Validates the configuration, resolves its plugins, discovers the platform and prints the
bootable configuration: plugin order with versions and options, platform summary, NOVA command
line, make flags and a content hash (sha256 of the canonical JSON). Same configuration, same bytes.

With -o DIR it writes what building and booting the real NOVA needs:
  boot.json           the bootable configuration (stable, content-hashed)
  build.env           NOVA's make variables: ARCH, BOARD (aarch64), CFP (x86_64)
  grub.cfg            x86_64: a multiboot2 entry with NOVA's command line (recognised options only)
  modules.list        the images the boot medium holds, in boot order
  expected-pcrs.json  with a measured launch: the PCR 17/18/19 values a verifier expects
Each file is written to a temporary name, then renamed; all are computed before the first is written.

Options:
  --arch ARCH    x86_64 or aarch64: the arch of a portable configuration (one with targets) to
                 compose; a configuration with a fixed arch accepts only that one (else exit 2)
  -o, --out DIR  write the files above into DIR
  --json         print the bootable configuration as JSON (default: a short summary)
  -h, --help     show this help
`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs("compose", argv, { out: { type: "string", short: "o" }, json: { type: "boolean" }, arch: { type: "string" } }, 1);
    if (values["help"] === true) {
      io.stdout(this.help);
      return 0;
    }
    const prepared = await prepareConfiguration(io.cwd, positionals[0], parseArchOption("compose", values["arch"]));
    // A bootable configuration must not contain what `check` calls an error (warnings are fine).
    const { platform } = await discoverAndVerify(prepared);
    const bootable = bootableConfiguration(prepared, platform) as { [key: string]: unknown } & { hash: string };
    const text = stableJsonText(bootable as never);
    const out = values["out"];
    const written: string[] = [];
    if (typeof out === "string") {
      const files = composeArtifacts(prepared, platform, text, {
        name: prepared.config.name ?? null,
        arch: prepared.config.arch,
        hash: bootable.hash,
        makeFlags: bootable["makeFlags"] as string[],
        cmdlineOptions: (bootable["cmdline"] as { options: string[] }).options,
      });
      for (const [name, content] of files) {
        const path = join(resolve(io.cwd, out), name);
        await writeFileAtomic(path, content);
        written.push(path);
      }
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
    for (const path of written) io.stdout(`wrote ${path}\n`);
    return 0;
  },
};
