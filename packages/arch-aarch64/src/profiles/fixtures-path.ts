import { fileURLToPath } from "node:url";

/**
 * Absolute path of a file under `packages/arch-aarch64/fixtures/`. The same relative URL works
 * from src/profiles (development, tests) and dist/profiles (the built package ships fixtures/).
 */
export function fixturesPath(relative: string): string {
  return fileURLToPath(new URL(`../../fixtures/${relative}`, import.meta.url));
}
