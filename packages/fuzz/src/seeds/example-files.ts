import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** examples/configs of the repository: real configurations and profiles users start from */
const EXAMPLE_CONFIGS = fileURLToPath(new URL("../../../../examples/configs/", import.meta.url));

/**
 * The files of every examples/configs/<name>/ folder whose names end with `suffix`, sorted by
 * folder then name. Read in place rather than copied, so the seeds follow the examples as the
 * configuration format grows.
 */
export function exampleConfigFiles(suffix: string): Uint8Array[] {
  const files: Uint8Array[] = [];
  for (const folder of readdirSync(EXAMPLE_CONFIGS).sort()) {
    const directory = join(EXAMPLE_CONFIGS, folder);
    if (!statSync(directory).isDirectory()) continue;
    for (const name of readdirSync(directory).sort()) {
      if (name.endsWith(suffix)) files.push(new Uint8Array(readFileSync(join(directory, name))));
    }
  }
  return files;
}
