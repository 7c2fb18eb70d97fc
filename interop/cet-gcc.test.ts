import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli, type CliIo } from "@novakit/cli";
import { afterAll, describe, expect, it } from "vitest";

/**
 * `novakit cet` against the GNU toolchain. Small C programs are compiled at test time with the
 * system gcc at every -fcf-protection level (none, branch, return, full): relocatable objects,
 * freestanding static executables, PIEs and shared objects, each linked with and without
 * `-z ibt -z shstk`. For every binary, `novakit cet --json` must agree
 *  - with `readelf -n` on the X86 feature bits (IBT, SHSTK) of the GNU property note, and
 *  - with `objdump -d` on whether each function entry is ENDBR64: every function novakit lists
 *    must appear as an objdump label at the same section/address, with the same first instruction.
 * Without gcc, readelf or objdump the suite is skipped with a message saying what to install.
 */

const SOURCES = fileURLToPath(new URL("../packages/security-cet/fixtures/", import.meta.url));
const LEVELS = ["none", "branch", "return", "full"] as const;
type Level = (typeof LEVELS)[number];

interface Build {
  readonly name: string;
  readonly level: Level;
  readonly args: readonly string[];
}

/** what each build is, as gcc arguments (output name appended) */
function builds(): Build[] {
  const list: Build[] = [];
  for (const level of LEVELS) {
    const cf = `-fcf-protection=${level}`;
    const forced = ["-Wl,-z,ibt", "-Wl,-z,shstk"];
    list.push({ name: `demo-${level}.o`, level, args: ["-O1", "-c", cf, "cet-demo.c"] });
    list.push({ name: `demo-sections-${level}.o`, level, args: ["-O1", "-c", cf, "-ffunction-sections", "cet-demo.c"] });
    list.push({ name: `start-pic-${level}.o`, level, args: ["-O1", "-c", "-fPIC", cf, "cet-start.c"] });
    list.push({ name: `start-${level}.elf`, level, args: ["-O1", cf, "-ffreestanding", "-nostdlib", "-static", "cet-start.c"] });
    list.push({ name: `start-${level}-zibt.elf`, level, args: ["-O1", cf, "-ffreestanding", "-nostdlib", "-static", ...forced, "cet-start.c"] });
    // stripped like NOVA's own link (ld -s): no symbol table left
    list.push({ name: `start-${level}-stripped.elf`, level, args: ["-O1", cf, "-ffreestanding", "-nostdlib", "-static", "-s", "cet-start.c"] });
    list.push({ name: `start-${level}-zibt-stripped.elf`, level, args: ["-O1", cf, "-ffreestanding", "-nostdlib", "-static", "-s", ...forced, "cet-start.c"] });
    list.push({ name: `main-${level}.elf`, level, args: ["-O1", cf, "cet-main.c"] });
    list.push({ name: `main-${level}-zibt.elf`, level, args: ["-O1", cf, ...forced, "cet-main.c"] });
    list.push({ name: `lib-${level}.so`, level, args: ["-O1", cf, "-fPIC", "-shared", "cet-lib.c"] });
    list.push({ name: `lib-${level}-zibt.so`, level, args: ["-O1", cf, "-fPIC", "-shared", ...forced, "cet-lib.c"] });
  }
  return list;
}

function isMissingExecutable(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && (error as { code: unknown }).code === "ENOENT";
}

/** the tools that are not on PATH */
function missingTools(): string[] {
  return ["gcc", "readelf", "objdump"].filter((tool) => {
    try {
      execFileSync(tool, ["--version"], { stdio: "ignore" });
      return false;
    } catch (error) {
      return isMissingExecutable(error);
    }
  });
}

function run(tool: string, args: readonly string[], cwd?: string): string {
  return execFileSync(tool, [...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024, ...(cwd ? { cwd } : {}) });
}

/** X86 feature bits as `readelf -n` prints them ("Properties: x86 feature: IBT, SHSTK") */
function readelfFeatures(path: string): { ibt: boolean; shstk: boolean } {
  const text = run("readelf", ["-n", "-W", path]);
  const features = [...text.matchAll(/x86 feature: ([^\n]*)/g)].map((match) => match[1]!.split(",").map((name) => name.trim()));
  const all = features.flat();
  return { ibt: all.includes("IBT"), shstk: all.includes("SHSTK") };
}

/** first instruction at each objdump label: key "section:address" for objects, "address" for images */
function objdumpEntries(path: string, relocatable: boolean): Map<string, { label: string; mnemonic: string; bytes: string }> {
  // -w: one line per instruction, "  addr:\tbytes \tmnemonic operands"
  const text = run("objdump", ["-d", "-w", path]);
  const entries = new Map<string, { label: string; mnemonic: string; bytes: string }>();
  let section = "";
  let pending: { key: string; label: string } | undefined;
  for (const line of text.split("\n")) {
    const heading = /^Disassembly of section (.+):$/.exec(line);
    if (heading !== null) {
      section = heading[1]!;
      continue;
    }
    const label = /^([0-9a-f]+) <(.+)>:$/.exec(line);
    if (label !== null) {
      const address = BigInt(`0x${label[1]}`);
      pending = { key: relocatable ? `${section}:${address}` : `${address}`, label: label[2]! };
      continue;
    }
    const instruction = /^\s*[0-9a-f]+:\s+((?:[0-9a-f]{2} )+)\s*(.*)$/.exec(line);
    if (instruction !== null && pending !== undefined) {
      entries.set(pending.key, { label: pending.label, bytes: instruction[1]!.replace(/ /g, ""), mnemonic: instruction[2]!.trim() });
      pending = undefined;
    }
  }
  return entries;
}

interface NovakitReport {
  readonly kind: string;
  readonly property: { readonly ibt: boolean; readonly shstk: boolean };
  readonly functions: readonly { readonly name: string; readonly section: string; readonly value: string; readonly endbr64: boolean; readonly entryBytes: string }[];
  readonly verdicts: readonly { readonly level: string; readonly fit: boolean }[];
}

async function novakitCet(path: string): Promise<NovakitReport> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), cwd: process.cwd(), env: {}, stdoutIsTty: false };
  const status = await runCli(["cet", path, "--json"], io);
  if (status !== 0) throw new Error(`novakit cet ${path} exited ${status}: ${stderr}`);
  return JSON.parse(stdout) as NovakitReport;
}

interface Agreement {
  readonly binaries: number;
  readonly propertyAgree: number;
  readonly functions: number;
  readonly endbrAgree: number;
  readonly disagreements: string[];
}

const missing = missingTools();

if (missing.length > 0) {
  const message =
    `${missing.join(", ")} not on PATH: the CET interop suite needs gcc, readelf and objdump ` +
    "(Debian packages gcc and binutils: `sudo apt-get install gcc binutils`); skipped";
  console.warn(`interop/cet-gcc.test.ts: ${message}`);
  describe("novakit cet agrees with gcc, readelf and objdump", () => {
    it.skip(message, () => undefined);
  });
} else {
  describe("novakit cet agrees with gcc, readelf and objdump", () => {
    const directory = mkdtempSync(join(tmpdir(), "novakit-cet-interop-"));
    afterAll(() => rmSync(directory, { recursive: true, force: true }));
    let agreement: Agreement | undefined;

    async function compare(): Promise<Agreement> {
      if (agreement !== undefined) return agreement;
      for (const source of ["cet-demo.c", "cet-start.c", "cet-main.c", "cet-lib.c"]) copyFileSync(join(SOURCES, source), join(directory, source));
      const disagreements: string[] = [];
      let propertyAgree = 0;
      let functions = 0;
      let endbrAgree = 0;
      const list = builds();
      for (const build of list) {
        run("gcc", [...build.args, "-o", build.name], directory);
        const path = join(directory, build.name);
        const report = await novakitCet(path);
        const relocatable = report.kind === "relocatable object";
        const tools = readelfFeatures(path);
        if (tools.ibt === report.property.ibt && tools.shstk === report.property.shstk) propertyAgree++;
        else disagreements.push(`${build.name}: readelf -n says IBT=${tools.ibt} SHSTK=${tools.shstk}, novakit IBT=${report.property.ibt} SHSTK=${report.property.shstk}`);
        const entries = objdumpEntries(path, relocatable);
        for (const entry of report.functions) {
          functions++;
          const key = relocatable ? `${entry.section}:${BigInt(entry.value)}` : `${BigInt(entry.value)}`;
          const dumped = entries.get(key);
          if (dumped === undefined) {
            disagreements.push(`${build.name}: objdump -d has no label at ${entry.section} ${entry.value} (${entry.name})`);
            continue;
          }
          const objdumpEndbr = dumped.mnemonic.startsWith("endbr64");
          if (objdumpEndbr === entry.endbr64 && (!objdumpEndbr || dumped.bytes === "f30f1efa")) endbrAgree++;
          else disagreements.push(`${build.name}: ${entry.name} at ${entry.value}: objdump "${dumped.mnemonic}" (${dumped.bytes}), novakit ENDBR64=${entry.endbr64} (${entry.entryBytes})`);
        }
      }
      agreement = { binaries: list.length, propertyAgree, functions, endbrAgree, disagreements };
      console.info(
        `CET interop (${run("gcc", ["-dumpfullversion"]).trim()} / ${run("readelf", ["--version"]).split("\n")[0]}): ${list.length} binaries, ` +
          `property bits agree with readelf -n on ${propertyAgree}/${list.length}, ENDBR64 at function entries agrees with objdump -d on ${endbrAgree}/${functions}`,
      );
      return agreement;
    }

    it("property bits agree with readelf -n on every binary", async () => {
      const result = await compare();
      expect(result.disagreements.filter((line) => line.includes("readelf"))).toEqual([]);
      expect(result.propertyAgree).toBe(result.binaries);
      expect(result.binaries).toBe(44);
    });

    it("ENDBR64 at every function entry agrees with objdump -d, and every function is an objdump label", async () => {
      const result = await compare();
      expect(result.disagreements.filter((line) => !line.includes("readelf"))).toEqual([]);
      expect(result.endbrAgree).toBe(result.functions);
      // enough functions compared to mean something (5-9 per binary)
      expect(result.functions).toBeGreaterThan(150);
    });

    it("the bits follow the level as cet.md §5/§9 say: objects and freestanding links keep them, -z ibt -z shstk forces them", async () => {
      await compare();
      const expectBits = async (name: string, ibt: boolean, shstk: boolean) => {
        const report = await novakitCet(join(directory, name));
        expect(report.property, name).toEqual(expect.objectContaining({ ibt, shstk }));
      };
      for (const level of LEVELS) {
        const ibt = level === "branch" || level === "full";
        const shstk = level === "return" || level === "full";
        await expectBits(`demo-${level}.o`, ibt, shstk);
        await expectBits(`start-${level}.elf`, ibt, shstk);
        await expectBits(`start-${level}-zibt.elf`, true, true);
        await expectBits(`main-${level}-zibt.elf`, true, true);
      }
      // Debian's glibc start files carry no property, so a normal link drops both bits (cet.md §9)
      await expectBits("main-full.elf", false, false);
    });

    it("gives the CFP verdicts the levels imply for objects and freestanding images, stripped or not", async () => {
      await compare();
      for (const level of LEVELS) {
        // stripped images: the IBT bit decides, unless the code holds no ENDBR64 at all (-z ibt on none/return code)
        const branch = level === "branch" || level === "full";
        const shadowStacks = level === "return" || level === "full";
        const expected: Record<string, Record<string, boolean>> = {
          [`demo-${level}.o`]: { none: true, branch, return: shadowStacks, full: branch && shadowStacks },
          [`start-${level}.elf`]: { none: true, branch, return: shadowStacks, full: branch && shadowStacks },
          [`start-pic-${level}.o`]: { none: true, branch, return: shadowStacks, full: branch && shadowStacks },
          [`start-${level}-stripped.elf`]: { none: true, branch, return: shadowStacks, full: branch && shadowStacks },
          // -z shstk forces SHSTK on (shadow stacks need no code change, cet.md §6); -z ibt on code
          // without ENDBR64 is contradicted by the code itself
          [`start-${level}-zibt-stripped.elf`]: { none: true, branch, return: true, full: branch },
        };
        for (const [name, fits] of Object.entries(expected)) {
          const report = await novakitCet(join(directory, name));
          const fit = Object.fromEntries(report.verdicts.map((verdict) => [verdict.level, verdict.fit]));
          expect(fit, name).toEqual(fits);
        }
      }
    });
  });
}
