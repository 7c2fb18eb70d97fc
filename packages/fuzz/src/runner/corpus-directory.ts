import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FuzzDiagnostic, fuzzError } from "../fuzz-diagnostics.js";
import { fixtureName } from "../regressions/regression-store.js";

/** --corpus DIR: the inputs in DIR/<target>/ (sorted by name, so runs stay deterministic). */
export function readCorpusDirectory(directory: string, target: string): Uint8Array[] {
  if (!existsSync(directory) || !statSync(directory).isDirectory()) {
    throw fuzzError(FuzzDiagnostic.BAD_CORPUS, "--corpus must name an existing directory", { file: directory }, `mkdir -p ${directory}`);
  }
  const folder = join(directory, target);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .sort()
    .filter((name) => statSync(join(folder, name)).isFile())
    .map((name) => new Uint8Array(readFileSync(join(folder, name))));
}

/** Saves inputs into DIR/<target>/<sha256 prefix>, so the next run starts where this one got. */
export function saveCorpusInputs(directory: string, target: string, inputs: readonly Uint8Array[]): void {
  const folder = join(directory, target);
  try {
    mkdirSync(folder, { recursive: true });
    for (const input of inputs) writeFileSync(join(folder, fixtureName(input)), input);
  } catch (error) {
    throw fuzzError(FuzzDiagnostic.WRITE_FAILED, `cannot save corpus inputs: ${error instanceof Error ? error.message : String(error)}`, { file: folder });
  }
}
