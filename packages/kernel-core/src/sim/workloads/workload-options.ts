import { NovakitError } from "../../errors/novakit-error.js";
import type { WorkloadInstance } from "../workload.js";

/** A non-negative number option of a workload, with a default; wrong types are input errors. */
export function numberOption(instance: WorkloadInstance, name: string, fallback: number): number {
  const value = instance.options[name];
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new NovakitError(
      "NK-KRN-223",
      `workload option "${name}" of domain "${instance.domain}" must be a non-negative number, got ${JSON.stringify(value)}`,
      { field: `workloadOptions.${name}` },
    );
  }
  return value;
}
