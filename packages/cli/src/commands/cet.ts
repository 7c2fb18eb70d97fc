import { resolve } from "node:path";
import { analyzeCetFile, type CetElfAnalysis, type CetFunction } from "@novakit/security-cet";
import { NovakitError } from "@novakit/kernel-core";
import { CLI_CODES } from "../args/cli-codes.js";
import { parseCommandArgs } from "../args/parse-command-args.js";
import { colorsFor } from "../io/colors.js";
import { stableJsonText } from "../output/canonical-json.js";
import { toJsonValue, type JsonValue } from "../output/json-value.js";
import type { Command } from "./command.js";

export const cetCommand: Command = {
  name: "cet",
  summary: "check an ELF64 x86-64 binary for CET: IBT/SHSTK property, ENDBR64 entries, CFP verdicts",
  help: `Usage: novakit cet FILE [--json]

Reads an ELF64 x86-64 file (relocatable object, executable or shared object, e.g. a NOVA
hypervisor-x86_64) and reports what Intel CET needs of it:
  - the .note.gnu.property X86 FEATURE_1_AND bits: IBT (built with -fcf-protection=branch/full)
    and SHSTK (return/full); for executables the PT_GNU_PROPERTY segment, which loaders read
  - every function symbol and whether its entry is ENDBR64 (F3 0F 1E FA)
  - which functions are address-taken (reachable by an indirect call/jmp): from relocations,
    plus, in linked images, dynamic relocations, exports and a scan for lea/pointer references
  - a verdict per CFP level: "fit for CFP=branch: yes/no, because ..."

CFP=branch needs the IBT bit and ENDBR64 at every address-taken function (an indirect branch
anywhere else raises #CP(ENDBRANCH)); CFP=return needs the SHSTK bit; CFP=full needs both.

The verdicts are information: the exit status is 0 whatever they say, and 2 when FILE cannot be
read or is not a well-formed ELF64 x86-64 file (the error names the offset and field).

Options:
  --json       print the analysis as JSON (addresses as "0x..." strings)
  -h, --help   show this help
`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs("cet", argv, { json: { type: "boolean" } }, 1);
    if (values["help"] === true) {
      io.stdout(this.help);
      return 0;
    }
    const file = positionals[0];
    if (file === undefined) throw new NovakitError(CLI_CODES.badOption, "cet: FILE is required", {}, "run `novakit cet --help`");
    const analysis = analyzeCetFile(resolve(io.cwd, file), file);
    if (values["json"] === true) {
      io.stdout(stableJsonText(analysisJson(analysis)));
      return 0;
    }
    io.stdout(humanReport(analysis, io));
    return 0;
  },
};

/** The analysis as JSON: file locations reduced to the file offset of each entry. */
export function analysisJson(analysis: CetElfAnalysis): JsonValue {
  return toJsonValue({
    ...analysis,
    functions: analysis.functions.map(({ location, ...entry }) => ({ ...entry, fileOffset: location?.offset })),
  });
}

function hex(value: bigint | number): string {
  return `0x${value.toString(16)}`;
}

function featureText(analysis: CetElfAnalysis): string {
  const { property } = analysis;
  if (property.source === undefined) return "no .note.gnu.property: IBT and SHSTK off";
  if (property.x86Feature1And === undefined) return `${property.source}: no x86 feature property: IBT and SHSTK off`;
  const names = [property.ibt ? "IBT" : undefined, property.shstk ? "SHSTK" : undefined].filter((name) => name !== undefined);
  return `${property.source}: x86 feature: ${names.length > 0 ? names.join(", ") : "none"} (FEATURE_1_AND ${hex(property.x86Feature1And)})`;
}

function functionRow(entry: CetFunction, width: number): string {
  const place = entry.section === "" ? hex(entry.value) : `${entry.section}+${hex(entry.value)}`;
  const name = entry.aliases.length > 0 ? `${entry.name} (= ${entry.aliases.join(", ")})` : entry.name;
  return `  ${place.padEnd(width)}  ${(entry.endbr64 ? "yes" : "no").padEnd(7)}  ${(entry.addressTaken ? "yes" : "no").padEnd(11)}  ${entry.binding.padEnd(6)}  ${name}`;
}

function humanReport(analysis: CetElfAnalysis, io: Parameters<Command["run"]>[1]): string {
  const colors = colorsFor(io);
  const lines: string[] = [];
  const { summary } = analysis;
  lines.push(`${analysis.file}: ELF64 x86-64 ${analysis.kind}${analysis.kind === "relocatable object" ? "" : `, entry ${hex(analysis.entry)}`}`);
  lines.push(`property: ${featureText(analysis)}`);
  if (analysis.entryEndbr64 !== undefined) lines.push(`entry point starts with ENDBR64: ${analysis.entryEndbr64 ? "yes" : "no"}`);
  lines.push(`ENDBR64 byte sequences in code: ${analysis.codeEndbr64Count}`);
  lines.push(
    `functions: ${summary.functions}, ${summary.withEndbr64} start with ENDBR64; address-taken: ${summary.addressTaken} (${analysis.addressTaken.method}), ${summary.addressTakenWithoutEndbr64} of them without ENDBR64`,
  );
  if (analysis.functions.length > 0) {
    const width = Math.max(7, ...analysis.functions.map((entry) => (entry.section === "" ? hex(entry.value) : `${entry.section}+${hex(entry.value)}`).length));
    lines.push("");
    lines.push(`  ${"address".padEnd(width)}  ENDBR64  addr-taken   bind    name`);
    for (const entry of analysis.functions) {
      const row = functionRow(entry, width);
      lines.push(entry.addressTaken && !entry.endbr64 ? colors.red(row) : row);
    }
    const missing = analysis.functions.filter((entry) => entry.addressTaken && !entry.endbr64);
    if (missing.length > 0) {
      lines.push("");
      lines.push("address-taken without ENDBR64:");
      for (const entry of missing) lines.push(`  ${entry.name}: ${entry.addressTakenBy.join("; ")}`);
    }
  }
  lines.push("");
  lines.push("CFP verdicts:");
  for (const verdict of analysis.verdicts) {
    const answer = verdict.fit ? colors.green("yes") : colors.red("no");
    lines.push(`  this image is fit for CFP=${verdict.level}: ${answer}, because ${verdict.because.join("; ")}`);
  }
  return `${lines.join("\n")}\n`;
}
