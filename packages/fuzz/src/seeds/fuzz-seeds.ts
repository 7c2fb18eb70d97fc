import { readPackageFiles } from "./package-files.js";

/**
 * Seeds kept in packages/fuzz/seeds/<folder>: inputs the project produces but no package keeps
 * as a fixture (event logs written by `novakit boot --event-log`, `novakit measure --json`
 * output). seeds/README.md says how each was made.
 */
export function fuzzSeeds(folder: string, suffix: string): Uint8Array[] {
  return readPackageFiles(`fuzz/seeds/${folder}/`, suffix);
}
