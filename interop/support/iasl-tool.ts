import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** What a developer must do when the tool is absent: CI installs the same package. */
export const IASL_MISSING_MESSAGE =
  "iasl (the ACPICA disassembler) is not installed or not on PATH: install the Debian package acpica-tools " +
  "(`sudo apt-get install acpica-tools`); CI installs it before `npm run interop`";

/** The first line of `iasl -v` output that names the version, e.g. "... version 20200925". */
export function iaslVersion(): string {
  let output: string;
  try {
    output = execFileSync("iasl", ["-v"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    if (isMissingExecutable(error)) throw new Error(IASL_MISSING_MESSAGE);
    throw error;
  }
  const match = /version (\d{8})/.exec(output);
  if (match === null) throw new Error(`cannot read the iasl version from: ${output.trim()}`);
  return match[1] ?? "";
}

function isMissingExecutable(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && (error as { code: unknown }).code === "ENOENT";
}

/**
 * A scratch folder for iasl's input and output files. iasl writes its output next to its input
 * (`X.dat` -> `X.dsl`), so every run gets a distinct base name inside this folder.
 */
export class IaslWorkspace {
  readonly directory: string;
  private runs = 0;

  constructor() {
    this.directory = mkdtempSync(join(tmpdir(), "novakit-iasl-"));
  }

  /**
   * `iasl -d NAME.dat` on the given bytes; returns the text of NAME.dsl. The `.dat` extension
   * matters: iasl treats it as a binary table to disassemble.
   */
  disassemble(bytes: Uint8Array, label: string): string {
    const base = this.nextBase(label);
    writeFileSync(join(this.directory, `${base}.dat`), bytes);
    this.runIasl(["-d", `${base}.dat`], `disassembling ${label}`);
    return readFileSync(join(this.directory, `${base}.dsl`), "utf8");
  }

  /** Compile a data-table source (the `[nnnn] Field : Value` syntax of `iasl -T`) to bytes. */
  compileDataTable(source: string, label: string): Uint8Array {
    const base = this.nextBase(label);
    writeFileSync(join(this.directory, `${base}.asl`), source);
    this.runIasl([`${base}.asl`], `compiling ${label}`);
    return new Uint8Array(readFileSync(join(this.directory, `${base}.aml`)));
  }

  /** The bytes of iasl's own template for a table (`iasl -T SIG`, then compiled). */
  templateTable(signature: string): Uint8Array {
    const base = this.nextBase(`template-${signature}`);
    // -T always writes <signature in lower case>.asl into the working directory
    this.runIasl(["-T", signature], `creating the ${signature} template`);
    const source = readFileSync(join(this.directory, `${signature.toLowerCase()}.asl`), "utf8");
    rmSync(join(this.directory, `${signature.toLowerCase()}.asl`));
    return this.compileDataTable(source, base);
  }

  dispose(): void {
    rmSync(this.directory, { recursive: true, force: true });
  }

  private nextBase(label: string): string {
    this.runs += 1;
    return `${String(this.runs).padStart(3, "0")}-${label.replace(/[^A-Za-z0-9]+/g, "_")}`;
  }

  private runIasl(args: readonly string[], what: string): void {
    try {
      execFileSync("iasl", ["-vs", ...args], { cwd: this.directory, stdio: ["ignore", "pipe", "pipe"] });
    } catch (error) {
      if (isMissingExecutable(error)) throw new Error(IASL_MISSING_MESSAGE);
      const stderr = typeof error === "object" && error !== null && "stderr" in error ? String((error as { stderr: unknown }).stderr) : "";
      throw new Error(`iasl failed while ${what} (iasl ${args.join(" ")} in ${this.directory}): ${stderr.trim() || String(error)}`);
    }
  }
}
