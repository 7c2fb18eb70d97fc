import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { isNovakitError, NovakitError } from "@novakit/kernel-core";
import { parseCommandArgs } from "../args/parse-command-args.js";
import type { Arch } from "@novakit/kernel-core";
import { parseArchOption } from "../config/arch-option.js";
import { CONFIG_CODES } from "../config/config-codes.js";
import { prepareConfiguration, type PreparedConfiguration } from "../config/prepare-configuration.js";
import { writeFileAtomic } from "../output/write-file-atomic.js";
import { gatherReport } from "../report/gather-report.js";
import { REPORT_CODES } from "../report/report-codes.js";
import { renderReportHtml } from "../report/report-page.js";
import { parseSeed } from "./boot.js";
import type { Command } from "./command.js";

export const DEFAULT_REPORT_FILE = "report.html";

export const reportCommand: Command = {
  name: "report",
  summary: "boot a configuration and write a self-contained HTML report",
  help: `Usage: novakit report [CONFIG] [-o FILE] [--seed N] [--arch ARCH]

Boots the configuration like \`novakit boot\` (CONFIG, else novakit.config.* in the working
directory, else the built-in default) and writes one self-contained HTML page: no script, no
network, inline CSS and SVG, light and dark. It shows
  - the capability graph: every PD, the objects it owns, the ctrl_pd delegations between them
  - each domain's host, guest and DMA memory map, drawn to scale from its page tables
  - the device assignment table per IOMMU, with each device table entry's DomainID
  - the DMA fault timeline
  - the measured launch: PCR 17/18/19 per bank beside \`novakit measure\`'s prediction, event log
  - the boot log
Same configuration and seed, same bytes: no timestamps; the page names the novakit version and
the configuration's hash instead.

Options:
  -o, --out FILE  where to write the page (default: ${DEFAULT_REPORT_FILE} in the working directory);
                  its directory must exist. Written to a temporary name, then renamed.
  --seed N        simulator seed (overrides the configuration's seed)
  --arch ARCH     x86_64 or aarch64: the arch of a portable configuration (one with targets);
                  a configuration with a fixed arch accepts only that one (else exit 2)
  -h, --help      show this help
`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs("report", argv, { out: { type: "string", short: "o" }, seed: { type: "string" }, arch: { type: "string" } }, 1);
    if (values["help"] === true) {
      io.stdout(this.help);
      return 0;
    }
    const seedText = values["seed"];
    const seed = typeof seedText === "string" ? parseSeed("report", seedText) : undefined;
    const arch = parseArchOption("report", values["arch"]);
    const outText = values["out"];
    const out = resolve(io.cwd, typeof outText === "string" ? outText : DEFAULT_REPORT_FILE);
    // refused before the boot: a mistyped path should not cost a simulation
    await checkOutputPath(out, typeof outText === "string" ? outText : DEFAULT_REPORT_FILE);
    const prepared = await readConfiguration(io.cwd, positionals[0], arch);
    const html = renderReportHtml(await gatherReport(prepared, io.cwd, seed));
    try {
      await writeFileAtomic(out, html);
    } catch (error) {
      if (!isNovakitError(error)) throw error;
      throw new NovakitError(REPORT_CODES.writeFailed, `report: ${error.message}`, { file: out });
    }
    io.stdout(`wrote ${out} (${Buffer.byteLength(html)} bytes)\n`);
    return 0;
  },
};

/** The directory must exist (report never creates one) and the name must not be a directory. */
async function checkOutputPath(path: string, given: string): Promise<void> {
  const directory = dirname(path);
  const directoryStat = await stat(directory).catch(() => undefined);
  if (directoryStat === undefined || !directoryStat.isDirectory()) {
    throw new NovakitError(REPORT_CODES.outputDirectoryMissing, `report: the directory ${directory} does not exist`, { file: given, field: "--out" }, "create it first, or pass -o with an existing directory");
  }
  const target = await stat(path).catch(() => undefined);
  if (target?.isDirectory() === true) {
    throw new NovakitError(REPORT_CODES.outputIsDirectory, `report: ${path} is a directory, expected a file name`, { file: given, field: "--out" }, `for example -o ${given.replace(/\/+$/, "")}/report.html`);
  }
}

/**
 * prepareConfiguration, with "the file cannot be read" said as NK-RPT-001: a missing file
 * (NK-CFG-001) or one the process may not read. Every other configuration error keeps its code.
 */
async function readConfiguration(cwd: string, named: string | undefined, arch: Arch | undefined): Promise<PreparedConfiguration> {
  if (named !== undefined) {
    const path = resolve(cwd, named);
    const readable = await access(path, constants.R_OK).then(
      () => true,
      () => false,
    );
    if (!readable) {
      throw new NovakitError(REPORT_CODES.configUnreadable, `report: cannot read the configuration ${named}`, { file: named }, "check the path, or run `novakit init` to write one");
    }
  }
  try {
    return await prepareConfiguration(cwd, named, arch);
  } catch (error) {
    if (isNovakitError(error) && error.code === CONFIG_CODES.fileNotFound) {
      throw new NovakitError(REPORT_CODES.configUnreadable, `report: cannot read the configuration: ${error.message}`, error.location, error.hint);
    }
    if (error instanceof Error && "code" in error && (error.code === "EACCES" || error.code === "EISDIR" || error.code === "ENOENT")) {
      throw new NovakitError(REPORT_CODES.configUnreadable, `report: cannot read the configuration: ${error.message}`, named === undefined ? {} : { file: named });
    }
    throw error;
  }
}
