import { NovakitError, type BootResult, type MemorySpaceView, type NovakitKernel } from "@novakit/kernel-core";
import { resolve } from "node:path";
import { CLI_CODES } from "../args/cli-codes.js";
import { parseCommandArgs } from "../args/parse-command-args.js";
import { stableJsonText } from "../output/canonical-json.js";
import { toJsonValue } from "../output/json-value.js";
import { writeFileAtomic } from "../output/write-file-atomic.js";
import { bootConfiguration } from "./boot-configuration.js";
import { parseSeed } from "./boot.js";
import type { Command } from "./command.js";

const SPACE_KINDS = ["HST", "GST", "DMA"] as const;
type MemorySpaceKind = (typeof SPACE_KINDS)[number];

interface SpaceRequest {
  /** a domain name, "root", or a PD object id */
  readonly pd: string;
  readonly kind: MemorySpaceKind;
  /** which space of that kind when the PD has several (GST, DMA), by creation order */
  readonly index: number;
}

function parseSpaceRequest(text: string): SpaceRequest {
  const match = /^([^:]+):(HST|GST|DMA)(?::(\d+))?$/i.exec(text);
  if (!match) {
    throw new NovakitError(
      CLI_CODES.badOptionValue,
      `inspect: --space expects PD:KIND[:N] (PD a domain name, "root" or a PD id; KIND HST, GST or DMA), got "${text}"`,
    );
  }
  return { pd: match[1]!, kind: match[2]!.toUpperCase() as MemorySpaceKind, index: Number(match[3] ?? 0) };
}

/** The PD id a request names: a domain of the configuration, the root PD, or a number. */
function pdIdOf(request: SpaceRequest, result: BootResult, kernel: NovakitKernel): number {
  const domain = result.domains.find((candidate) => candidate.name === request.pd);
  if (domain) return domain.pd;
  if (request.pd === "root") {
    const root = kernel.internals.state?.rootPd;
    if (root) return root.id;
  }
  if (/^\d+$/.test(request.pd)) return Number(request.pd);
  throw new NovakitError(
    CLI_CODES.badOptionValue,
    `inspect: no domain "${request.pd}" (domains: ${result.domains.map((candidate) => candidate.name).join(", ")}; or "root", or a PD id)`,
    { field: "--space" },
  );
}

function findSpace(request: SpaceRequest, pdId: number, spaces: readonly MemorySpaceView[]): MemorySpaceView {
  const candidates = spaces.filter((space) => space.pdId === pdId && space.kind === request.kind);
  const space = candidates[request.index];
  if (!space) {
    const owned = spaces.filter((candidate) => candidate.pdId === pdId).map((candidate) => candidate.kind);
    throw new NovakitError(
      CLI_CODES.badOptionValue,
      `inspect: PD ${pdId} has ${candidates.length} ${request.kind} space(s), no number ${request.index}` +
        ` (its memory spaces: ${owned.length > 0 ? owned.join(", ") : "none"})`,
      { field: "--space" },
    );
  }
  return space;
}

/** What a person (or a tool, with --json) learns about one table without reading its bytes. */
function summarize(space: MemorySpaceView, dump: Uint8Array) {
  const stats = space.table.stats();
  const words = new BigUint64Array(dump.buffer, dump.byteOffset, dump.byteLength / 8);
  let presentEntries = 0;
  for (const word of words) if (word !== 0n) presentEntries++;
  const pageBytes = (order: number) => 4096n << BigInt(order);
  let mappedBytes = 0n;
  for (const [order, count] of Object.entries(stats.leavesByOrder)) mappedBytes += pageBytes(Number(order)) * BigInt(count);
  return {
    space: space.id,
    pd: space.pdId,
    kind: space.kind,
    format: space.table.format.name,
    levels: stats.levels,
    rootAddress: space.table.rootAddress,
    tablesPerLevel: stats.tablesPerLevel,
    leavesByOrder: stats.leavesByOrder,
    presentEntries,
    mappedBytes,
    tableBytes: stats.bytesUsed,
    dumpBytes: dump.byteLength,
  };
}

const ORDER_NAMES: Readonly<Record<string, string>> = { "0": "4 KiB", "9": "2 MiB", "18": "1 GiB" };

export const inspectCommand: Command = {
  name: "inspect",
  summary: "boot a configuration and show (or dump) one page table",
  help: `Usage: novakit inspect [CONFIG] --space PD:KIND[:N] [--dump FILE] [--seed N] [--json]

Boots the configuration like \`novakit boot\`, then looks at one host (HST), guest (GST) or DMA
space: PD is a domain name, "root" or a PD id; N picks among several spaces of that kind
(default 0). Prints a summary: format, levels, tables per level, leaves by page size, present
entries, mapped and table bytes.

Options:
  --space PD:KIND[:N]  the space to inspect (required)
  --dump FILE          write the table as the exact bytes hardware walks: the root table first,
                       then every next-level table depth-first, 8-byte little-endian entries
  --seed N             simulator seed (overrides the configuration's seed)
  --json               print the summary as JSON (64-bit values as "0x..." strings)
  -h, --help           show this help
`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      "inspect",
      argv,
      { space: { type: "string" }, dump: { type: "string" }, seed: { type: "string" }, json: { type: "boolean" } },
      1,
    );
    if (values["help"] === true) {
      io.stdout(this.help);
      return 0;
    }
    const spaceText = values["space"];
    if (typeof spaceText !== "string") {
      throw new NovakitError(CLI_CODES.badOption, "inspect: --space PD:KIND is required", {}, "run `novakit inspect --help`");
    }
    const request = parseSpaceRequest(spaceText);
    const seedText = values["seed"];
    const seed = typeof seedText === "string" ? parseSeed("inspect", seedText) : undefined;
    const { kernel, result } = await bootConfiguration(io.cwd, positionals[0], seed);
    const space = findSpace(request, pdIdOf(request, result, kernel), kernel.memorySpaces());
    const dump = space.table.dump();
    const dumpPath = values["dump"];
    if (typeof dumpPath === "string") await writeFileAtomic(resolve(io.cwd, dumpPath), dump);
    const summary = summarize(space, dump);
    if (values["json"] === true) {
      io.stdout(stableJsonText(toJsonValue(summary)));
      return 0;
    }
    const leaves = Object.entries(summary.leavesByOrder)
      .map(([order, count]) => `${count} × ${ORDER_NAMES[order] ?? `order ${order}`}`)
      .join(", ");
    io.stdout(
      [
        `${summary.kind} space ${summary.space} of PD ${summary.pd}: ${summary.format}, ${summary.levels} levels, root 0x${summary.rootAddress.toString(16)}`,
        `tables per level (0 = 4 KiB leaves): ${summary.tablesPerLevel.map((count, level) => `L${level} ${count}`).join(", ")}`,
        `leaves: ${leaves || "none"}; ${summary.presentEntries} present entries; ${summary.mappedBytes} bytes mapped`,
        `table memory: ${summary.tableBytes} bytes` + (typeof dumpPath === "string" ? `; dump: ${dumpPath} (${summary.dumpBytes} bytes)` : ""),
        "",
      ].join("\n"),
    );
    return 0;
  },
};
