import { NovakitError } from "@novakit/kernel-core";

/** Diagnostic codes of novakit-plugin-fault-exporter (prefix NK-EXP, 001..009). */
export const FaultExporterDiagnostic = Object.freeze({
  CANNOT_OPEN: "NK-EXP-001",
  NO_DESTINATION: "NK-EXP-002",
  WRITE_FAILED: "NK-EXP-003",
} as const);

function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code !== undefined ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

export function cannotOpen(path: string, error: unknown): NovakitError {
  return new NovakitError(
    FaultExporterDiagnostic.CANNOT_OPEN,
    `cannot open fault log "${path}" for writing (${reasonOf(error)})`,
    { file: path, field: "plugins[novakit-plugin-fault-exporter].options.path" },
    "the directory must exist and be writable; a relative path is taken from the working directory",
  );
}

export function noDestination(): NovakitError {
  return new NovakitError(
    FaultExporterDiagnostic.NO_DESTINATION,
    "the fault exporter has nowhere to write: set its option `path`",
    { field: "plugins[novakit-plugin-fault-exporter].options.path" },
  );
}

export function writeFailed(path: string, error: unknown): NovakitError {
  return new NovakitError(
    FaultExporterDiagnostic.WRITE_FAILED,
    `writing the fault log "${path}" failed (${reasonOf(error)})`,
    { file: path },
  );
}
