import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { CLI_PACKAGE_DIR, runIn } from "../test-support/cli-harness.js";

const FIXTURES = join(CLI_PACKAGE_DIR, "../security-cet/fixtures");

type Json = Record<string, unknown>;
interface JsonFunction {
  name: string;
  endbr64: boolean;
  addressTaken: boolean;
  addressTakenBy: string[];
  value: string;
  fileOffset: number;
}
interface JsonReport {
  kind: string;
  file: string;
  property: Json;
  functions: JsonFunction[];
  verdicts: { level: string; fit: boolean; because: string[] }[];
  summary: Json;
}

async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "novakit-cet-test-"));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe("novakit cet", () => {
  it("prints the property bits, the function table and a verdict per CFP level", async () => {
    const run = await runIn(FIXTURES, ["cet", "cet-demo-nocf-hole.o"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe("cet-demo-nocf-hole.o: ELF64 x86-64 relocatable object");
    expect(lines[1]).toBe("property: .note.gnu.property: x86 feature: IBT, SHSTK (FEATURE_1_AND 0x3)");
    expect(run.stdout).toContain("functions: 7, 5 start with ENDBR64; address-taken: 6 (relocations + scan), 1 of them without ENDBR64");
    expect(run.stdout).toMatch(/\.text\+0x17 +no +yes +local +hole/);
    expect(run.stdout).toMatch(/\.text\+0x0 +no +no +local +twice/);
    expect(run.stdout).toContain("  hole: relocation: R_X86_64_64 at .data.rel.local+0x10");
    expect(run.stdout).toContain("this image is fit for CFP=none: yes, because CFP=none enables no CET feature");
    expect(run.stdout).toContain("this image is fit for CFP=branch: no, because 1 of 6 address-taken function(s) do not start with ENDBR64: hole");
    expect(run.stdout).toContain("this image is fit for CFP=return: yes, because the SHSTK property bit is set (.note.gnu.property)");
    expect(run.stdout).toContain("this image is fit for CFP=full: no, because");
  });

  it("says so when an image has no property note, and exits 0 whatever the verdicts", async () => {
    const run = await runIn(FIXTURES, ["cet", "cet-start-none.elf"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("cet-start-none.elf: ELF64 x86-64 executable, entry 0x401043");
    expect(run.stdout).toContain("property: no .note.gnu.property: IBT and SHSTK off");
    expect(run.stdout).toContain("entry point starts with ENDBR64: no");
    expect(run.stdout).not.toContain(": yes, because the IBT");
  });

  it("--json gives the whole analysis with addresses as hex strings", async () => {
    const run = await runIn(FIXTURES, ["cet", "cet-start-full.elf", "--json"]);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.kind).toBe("executable");
    expect(report.file).toBe("cet-start-full.elf");
    expect(report.property).toMatchObject({ source: "PT_GNU_PROPERTY", x86Feature1And: 3, ibt: true, shstk: true });
    expect(report.functions.map((entry) => [entry.name, entry.value, entry.endbr64, entry.addressTaken])).toEqual([
      ["inc", "0x401000", true, true],
      ["dec", "0x401009", true, true],
      ["helper", "0x401012", false, false],
      ["run", "0x40101a", true, false],
      ["_start", "0x40104f", true, false],
    ]);
    expect(report.functions[0]?.fileOffset).toBe(0x1000);
    expect(report.verdicts.map((verdict) => [verdict.level, verdict.fit])).toEqual([
      ["none", true],
      ["branch", true],
      ["return", true],
      ["full", true],
    ]);
    expect(report.summary).toEqual({ functions: 5, withEndbr64: 4, addressTaken: 2, addressTakenWithoutEndbr64: 0 });
  });

  it("colours a failing verdict on a terminal, and not with NO_COLOR", async () => {
    const tty = await runIn(FIXTURES, ["cet", "cet-demo-none.o"], {}, true);
    expect(tty.stdout).toContain("\u001b[31mno\u001b[39m");
    const plain = await runIn(FIXTURES, ["cet", "cet-demo-none.o"], { NO_COLOR: "1" }, true);
    expect(plain.stdout).not.toContain("\u001b[");
  });

  it("--help explains the verdicts and the exit status", async () => {
    const run = await runIn(FIXTURES, ["cet", "--help"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Usage: novakit cet FILE [--json]");
    expect(run.stdout).toContain("the exit status is 0 whatever they say");
    const global = await runIn(FIXTURES, ["--help"]);
    expect(global.stdout).toMatch(/\n {2}cet +check an ELF64 x86-64 binary for CET/);
  });

  it("bad input exits 2 with one house-format error line naming file, offset and field", async () => {
    const dir = await scratch();
    await writeFile(join(dir, "notes.txt"), "not an ELF\n");
    const text = await runIn(dir, ["cet", "notes.txt"]);
    expect(text.status).toBe(2);
    expect(text.stdout).toBe("");
    expect(text.stderr).toBe("novakit: error: notes.txt: offset 0x0: e_ident[EI_MAG]: not an ELF file (the first four bytes are not 7F 45 4C 46) [NK-ELF-002]\n");

    const bytes = await readFile(join(FIXTURES, "cet-demo-full.o"));
    await writeFile(join(dir, "cut.o"), bytes.subarray(0, 1000));
    const cut = await runIn(dir, ["cet", "cut.o"]);
    expect(cut.status).toBe(2);
    expect(cut.stderr).toBe("novakit: error: cut.o: offset 0x28: e_shoff: the section header table at 0x570 lies outside the file [NK-ELF-009]\n  hint: the file is truncated or its header is corrupt\n");

    const arm = Buffer.from(bytes);
    arm.writeUInt16LE(183, 18);
    await writeFile(join(dir, "arm.o"), arm);
    const machine = await runIn(dir, ["cet", "arm.o"]);
    expect(machine.status).toBe(2);
    expect(machine.stderr).toContain("e_machine is 183 (AArch64 (EM_AARCH64)), not 62 (x86-64) [NK-ELF-005]");

    const missing = await runIn(dir, ["cet", "nothing-here.o"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^novakit: error: nothing-here\.o: cannot read the file: ENOENT.*\[NK-ELF-019\]/);
  });

  it("usage errors: no FILE, two files, unknown option", async () => {
    expect((await runIn(FIXTURES, ["cet"])).stderr).toContain("cet: FILE is required [NK-CLI-002]");
    expect((await runIn(FIXTURES, ["cet", "a.o", "b.o"])).stderr).toContain('unexpected argument "b.o" [NK-CLI-003]');
    const option = await runIn(FIXTURES, ["cet", "--verbose", "a.o"]);
    expect(option.status).toBe(2);
    expect(option.stderr).toContain("[NK-CLI-002]");
  });
});
