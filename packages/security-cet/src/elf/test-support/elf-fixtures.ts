import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { isNovakitError, type NovakitError } from "@novakit/kernel-core";

export const FIXTURE_DIR = fileURLToPath(new URL("../../../fixtures/", import.meta.url));

/** a fresh copy of a committed fixture, safe to patch */
export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(FIXTURE_DIR + name));
}

/** every committed ELF fixture (objects, executables, shared objects), sorted */
export function fixtureNames(): string[] {
  return readdirSync(FIXTURE_DIR)
    .filter((name) => /\.(o|elf|so)$/.test(name))
    .sort();
}

/** little-endian patch helpers */
export function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** the NovakitError `run` throws; fails the test when it throws nothing or something else */
export function caught(run: () => unknown): NovakitError {
  try {
    run();
  } catch (error) {
    if (isNovakitError(error)) return error;
    throw new Error(`expected a NovakitError, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  }
  throw new Error("expected a NovakitError, nothing was thrown");
}
