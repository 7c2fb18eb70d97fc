import { NovakitError } from "@novakit/kernel-core";
import { expect } from "vitest";

/** The error `run` throws (or rejects with), checked to be a NovakitError with `code`. */
export async function expectNovakitError(run: () => unknown, code: string): Promise<NovakitError> {
  let caught: unknown;
  try {
    await run();
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected ${code} to be thrown`).toBeInstanceOf(NovakitError);
  const error = caught as NovakitError;
  expect(error.code, error.describe()).toBe(code);
  return error;
}
