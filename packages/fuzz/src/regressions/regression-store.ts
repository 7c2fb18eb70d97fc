import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { FuzzDiagnostic, fuzzError } from "../fuzz-diagnostics.js";

/** packages/fuzz/regressions: one folder per target, `<sha256 prefix>.bin` + `.txt` per finding */
export const REGRESSIONS_DIRECTORY = fileURLToPath(new URL("../../regressions/", import.meta.url));

/** how many hex digits of the SHA-256 of the input name a fixture: enough never to collide here */
const NAME_DIGITS = 16;

export interface RegressionFixture {
  readonly target: string;
  /** the file name without extension: the SHA-256 prefix of the bytes */
  readonly name: string;
  readonly binPath: string;
  readonly bytes: Uint8Array;
  /** the .txt beside it (what was thrown), "" when there is none */
  readonly description: string;
}

export function fixtureName(input: Uint8Array): string {
  return createHash("sha256").update(input).digest("hex").slice(0, NAME_DIGITS);
}

/** Writes `<directory>/<target>/<sha>.bin` and `.txt`; returns the .bin path. Idempotent. */
export function saveRegression(directory: string, target: string, input: Uint8Array, description: string): string {
  const folder = join(directory, target);
  const name = fixtureName(input);
  const binPath = join(folder, `${name}.bin`);
  try {
    mkdirSync(folder, { recursive: true });
    writeFileSync(binPath, input);
    writeFileSync(join(folder, `${name}.txt`), description.endsWith("\n") ? description : `${description}\n`);
  } catch (error) {
    throw fuzzError(FuzzDiagnostic.WRITE_FAILED, `cannot save the regression fixture: ${error instanceof Error ? error.message : String(error)}`, { file: binPath });
  }
  return binPath;
}

/** Every saved fixture under `directory`, sorted by target then name (a missing directory has none). */
export function listRegressions(directory: string): RegressionFixture[] {
  if (!existsSync(directory)) return [];
  const fixtures: RegressionFixture[] = [];
  for (const target of readdirSync(directory).sort()) {
    const folder = join(directory, target);
    if (!statSync(folder).isDirectory()) continue;
    for (const file of readdirSync(folder).sort()) {
      if (!file.endsWith(".bin")) continue;
      const name = file.slice(0, -".bin".length);
      const binPath = join(folder, file);
      const txtPath = join(folder, `${name}.txt`);
      fixtures.push({
        target,
        name,
        binPath,
        bytes: new Uint8Array(readFileSync(binPath)),
        description: existsSync(txtPath) ? readFileSync(txtPath, "utf8") : "",
      });
    }
  }
  return fixtures;
}
