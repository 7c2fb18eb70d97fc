import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { builtInProfiles, cellsOf, parseFdt, stringListOf, type FdtNode, type FdtTree } from "@novakit/arch-aarch64";
import { describe, expect, it } from "vitest";

/**
 * Novakit's FDT parser against the Device Tree Compiler: `dtc -I dtb -O dts` decompiles each
 * shipped QEMU virt blob, this file reads the source text back into nodes and property bytes,
 * and the two trees must agree exactly, in both directions: the same node paths, the same
 * property names on every node, the same value bytes, and the same typed reading (string lists
 * where dtc prints strings, cells where it prints cells), plus the /memreserve/ entries.
 */

const DTC_MISSING_MESSAGE =
  "dtc (the Device Tree Compiler) is not installed or not on PATH: install the Debian package device-tree-compiler " +
  "(`sudo apt-get install device-tree-compiler`); CI installs it before `npm run interop`";

const FIXTURES = fileURLToPath(new URL("../packages/arch-aarch64/fixtures/", import.meta.url));

function isMissingExecutable(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && (error as { code: unknown }).code === "ENOENT";
}

/** dtc with `args`; `input` goes to its stdin. Text output unless `binary`. */
function runDtc(args: readonly string[], input?: string | Uint8Array): string;
function runDtc(args: readonly string[], input: string | Uint8Array, binary: true): Uint8Array;
function runDtc(args: readonly string[], input?: string | Uint8Array, binary = false): string | Uint8Array {
  try {
    const stdio: ["pipe" | "ignore", "pipe", "pipe"] = [input === undefined ? "ignore" : "pipe", "pipe", "pipe"];
    if (binary) return new Uint8Array(execFileSync("dtc", args, { stdio, ...(input !== undefined ? { input } : {}) }));
    return execFileSync("dtc", args, { encoding: "utf8", stdio, ...(input !== undefined ? { input } : {}) });
  } catch (error) {
    if (isMissingExecutable(error)) throw new Error(DTC_MISSING_MESSAGE);
    throw error;
  }
}

/** How dtc printed a value; "empty" for boolean properties. */
type DtsValueKind = "empty" | "strings" | "cells" | "bytes";

interface DtsProperty {
  readonly kind: DtsValueKind;
  readonly bytes: Uint8Array;
  readonly strings?: readonly string[];
  readonly cells?: readonly number[];
}

interface DtsTree {
  readonly nodes: Map<string, Map<string, DtsProperty>>;
  readonly reservations: { address: bigint; size: bigint }[];
}

/** Reads the subset of DTS syntax that `dtc -O dts` emits for a decompiled blob. */
class DtsReader {
  private at = 0;
  constructor(private readonly text: string) {}

  read(): DtsTree {
    const nodes = new Map<string, Map<string, DtsProperty>>();
    const reservations: { address: bigint; size: bigint }[] = [];
    this.expectWord("/dts-v1/");
    this.expectChar(";");
    for (;;) {
      this.skipSpace();
      if (this.text.startsWith("/memreserve/", this.at)) {
        this.at += "/memreserve/".length;
        const address = BigInt(this.word());
        const size = BigInt(this.word());
        this.expectChar(";");
        reservations.push({ address, size });
        continue;
      }
      break;
    }
    this.expectWord("/");
    this.readNodeBody("/", nodes);
    this.expectChar(";");
    this.skipSpace();
    if (this.at !== this.text.length) throw new Error(`dts: unexpected text after the root node at ${this.at}`);
    return { nodes, reservations };
  }

  private readNodeBody(path: string, nodes: Map<string, Map<string, DtsProperty>>): void {
    const properties = new Map<string, DtsProperty>();
    nodes.set(path, properties);
    this.expectChar("{");
    for (;;) {
      this.skipSpace();
      if (this.text[this.at] === "}") {
        this.at++;
        return;
      }
      const name = this.word();
      this.skipSpace();
      const next = this.text[this.at];
      if (next === "{") {
        this.readNodeBody(path === "/" ? `/${name}` : `${path}/${name}`, nodes);
        this.expectChar(";");
      } else if (next === ";") {
        this.at++;
        properties.set(name, { kind: "empty", bytes: new Uint8Array(0) });
      } else {
        this.expectChar("=");
        properties.set(name, this.value());
        this.expectChar(";");
      }
    }
  }

  private value(): DtsProperty {
    this.skipSpace();
    const first = this.text[this.at];
    if (first === '"') {
      const strings: string[] = [this.quoted()];
      // dtc prints a string list as one literal with \0 separators; commas are also legal
      for (this.skipSpace(); this.text[this.at] === ","; this.skipSpace()) {
        this.at++;
        this.skipSpace();
        strings.push(this.quoted());
      }
      const joined = strings.join("\0");
      const list = joined.split("\0");
      // dtc escapes every byte it does not print: one char per byte
      const bytes = Uint8Array.from(`${joined}\0`, (char) => char.charCodeAt(0));
      return { kind: "strings", bytes, strings: list };
    }
    if (first === "<") {
      this.at++;
      const cells: number[] = [];
      for (this.skipSpace(); this.text[this.at] !== ">"; this.skipSpace()) cells.push(Number(BigInt(this.word())));
      this.at++;
      const bytes = new Uint8Array(cells.length * 4);
      const view = new DataView(bytes.buffer);
      cells.forEach((cell, index) => view.setUint32(index * 4, cell, false));
      return { kind: "cells", bytes, cells };
    }
    if (first === "[") {
      this.at++;
      const values: number[] = [];
      for (this.skipSpace(); this.text[this.at] !== "]"; this.skipSpace()) values.push(Number.parseInt(this.word(), 16));
      this.at++;
      return { kind: "bytes", bytes: Uint8Array.from(values) };
    }
    throw new Error(`dts: unexpected value at ${this.at}: ${this.text.slice(this.at, this.at + 20)}`);
  }

  /** A "..." literal with dtc's escapes (\\ \" \n \t \r \0 \xNN and octal). */
  private quoted(): string {
    this.expectChar('"');
    let text = "";
    for (;;) {
      const char = this.text[this.at++];
      if (char === undefined) throw new Error("dts: unterminated string");
      if (char === '"') return text;
      if (char !== "\\") {
        text += char;
        continue;
      }
      const escape = this.text[this.at++];
      if (escape === "n") text += "\n";
      else if (escape === "t") text += "\t";
      else if (escape === "r") text += "\r";
      else if (escape === "x") {
        text += String.fromCharCode(Number.parseInt(this.text.slice(this.at, this.at + 2), 16));
        this.at += 2;
      } else if (escape !== undefined && /[0-7]/.test(escape)) {
        let digits = escape;
        while (digits.length < 3 && /[0-7]/.test(this.text[this.at] ?? "")) digits += this.text[this.at++];
        text += String.fromCharCode(Number.parseInt(digits, 8));
      } else text += escape ?? "";
    }
  }

  private word(): string {
    this.skipSpace();
    const match = /^[^\s;=<>{}"[\]]+/.exec(this.text.slice(this.at, this.at + 256));
    if (match === null) throw new Error(`dts: expected a word at ${this.at}: ${this.text.slice(this.at, this.at + 20)}`);
    this.at += match[0].length;
    return match[0];
  }

  private expectWord(word: string): void {
    this.skipSpace();
    if (!this.text.startsWith(word, this.at)) throw new Error(`dts: expected ${word} at ${this.at}`);
    this.at += word.length;
  }

  private expectChar(char: string): void {
    this.skipSpace();
    if (this.text[this.at] !== char) throw new Error(`dts: expected '${char}' at ${this.at}, found '${this.text.slice(this.at, this.at + 20)}'`);
    this.at++;
  }

  private skipSpace(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at] as string)) this.at++;
  }
}

function ourNodes(tree: FdtTree): Map<string, FdtNode> {
  return new Map(tree.nodesByPath);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}

function hexBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join(" ");
}

/** Every disagreement between our tree and dtc's, one line each; both directions. */
function compare(ours: FdtTree, dtc: DtsTree): { mismatches: string[]; propertiesCompared: number } {
  const mismatches: string[] = [];
  let propertiesCompared = 0;
  const nodes = ourNodes(ours);
  for (const path of dtc.nodes.keys()) if (!nodes.has(path)) mismatches.push(`dtc has node ${path}, Novakit does not`);
  for (const path of nodes.keys()) if (!dtc.nodes.has(path)) mismatches.push(`Novakit has node ${path}, dtc does not`);
  for (const [path, node] of nodes) {
    const theirs = dtc.nodes.get(path);
    if (theirs === undefined) continue;
    const mine = new Map(node.properties.map((property) => [property.name, property]));
    for (const name of theirs.keys()) if (!mine.has(name)) mismatches.push(`${path}: dtc has property ${name}, Novakit does not`);
    for (const [name, property] of mine) {
      const expected = theirs.get(name);
      if (expected === undefined) {
        mismatches.push(`${path}: Novakit has property ${name}, dtc does not`);
        continue;
      }
      propertiesCompared++;
      if (!sameBytes(property.value, expected.bytes)) {
        mismatches.push(`${path}.${name}: Novakit [${hexBytes(property.value)}] != dtc [${hexBytes(expected.bytes)}]`);
        continue;
      }
      // the typed reading of the value must match how dtc understood it
      if (expected.kind === "strings" && JSON.stringify(stringListOf(ours, node, property)) !== JSON.stringify(expected.strings)) {
        mismatches.push(`${path}.${name}: string list ${JSON.stringify(stringListOf(ours, node, property))} != dtc ${JSON.stringify(expected.strings)}`);
      }
      if (expected.kind === "cells" && JSON.stringify(cellsOf(ours, node, property)) !== JSON.stringify(expected.cells)) {
        mismatches.push(`${path}.${name}: cells ${JSON.stringify(cellsOf(ours, node, property))} != dtc ${JSON.stringify(expected.cells)}`);
      }
    }
  }
  const ourReservations = ours.reservations.map((entry) => `${entry.address}:${entry.size}`);
  const dtcReservations = dtc.reservations.map((entry) => `${entry.address}:${entry.size}`);
  if (JSON.stringify(ourReservations) !== JSON.stringify(dtcReservations)) {
    mismatches.push(`memory reservations: Novakit [${ourReservations.join(", ")}] != dtc [${dtcReservations.join(", ")}]`);
  }
  return { mismatches, propertiesCompared };
}

describe("FDT parser vs dtc -I dtb -O dts", () => {
  it("finds dtc", () => {
    expect(runDtc(["--version"])).toMatch(/DTC \d+\.\d+/);
  });

  for (const profile of builtInProfiles) {
    it(`${profile.dtb}: every node path and property value agrees with dtc, both ways`, () => {
      const path = `${FIXTURES}${profile.dtb}`;
      const ours = parseFdt(new Uint8Array(readFileSync(path)), profile.dtb);
      const dtc = new DtsReader(runDtc(["-q", "-I", "dtb", "-O", "dts", path])).read();
      const { mismatches, propertiesCompared } = compare(ours, dtc);
      expect(mismatches, mismatches.join("\n")).toEqual([]);
      // a reader that lost most of the tree cannot pass: QEMU virt has ~60 nodes and ~250 properties
      expect(dtc.nodes.size).toBeGreaterThan(50);
      expect(propertiesCompared).toBeGreaterThan(200);
    });
  }

  it("agrees on a blob with a memory reservation, padding and odd values compiled by dtc itself", () => {
    const source = [
      "/dts-v1/;",
      "/memreserve/ 0x48000000 0x1000;",
      "/ {",
      '  compatible = "novakit,test", "second";',
      "  bytes = [01 02 03];",
      "  empty;",
      '  node@1 { reg = <0x1 0x2>; label = "tab\\there"; child { deep = <0xffffffff>; }; };',
      "};",
    ].join("\n");
    const blob = runDtc(["-q", "-I", "dts", "-O", "dtb", "-p", "256", "-"], source, true);
    const ours = parseFdt(blob, "stdin.dtb");
    expect(ours.reservations).toEqual([{ address: 0x4800_0000n, size: 0x1000n }]);
    const dtc = new DtsReader(runDtc(["-q", "-I", "dtb", "-O", "dts", "-"], blob)).read();
    const { mismatches, propertiesCompared } = compare(ours, dtc);
    expect(mismatches, mismatches.join("\n")).toEqual([]);
    expect(propertiesCompared).toBe(6);
  });
});
