import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { NovakitError } from "@novakit/kernel-core";
import { CLI_CODES } from "../args/cli-codes.js";

/**
 * Writes through a temporary sibling and renames it into place, so a crash or an error never
 * leaves a half-written file under the real name (rename is atomic within one directory).
 * `exclusive` refuses an existing target (init without --force).
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const directory = dirname(path);
  // The suffix only has to avoid clashing with a concurrent writer; it never reaches output.
  const temporary = join(directory, `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await mkdir(directory, { recursive: true });
    await writeFile(temporary, content, { flag: "wx" });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new NovakitError(CLI_CODES.writeFailed, `cannot write ${path}: ${(error as Error).message}`, { file: path });
  }
}
