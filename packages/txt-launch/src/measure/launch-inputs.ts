import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { NovakitError } from "@novakit/kernel-core";
import { LaunchDiagnostic } from "../launch-diagnostics.js";

/** Reads an input file of the launch (--mle, --root, ACM, SL image) relative to `baseDir`. */
export function readLaunchFile(path: string, baseDir: string, what: string): { readonly bytes: Uint8Array; readonly path: string } {
  const absolute = isAbsolute(path) ? path : resolve(baseDir, path);
  try {
    return { bytes: new Uint8Array(readFileSync(absolute)), path: absolute };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new NovakitError(LaunchDiagnostic.FILE_UNREADABLE, `cannot read the ${what} ${absolute}: ${reason}`, { file: absolute });
  }
}
