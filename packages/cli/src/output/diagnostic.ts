import { isNovakitError } from "@novakit/kernel-core";

/** One finding of `check`, with stable field names for `--json`. */
export interface Diagnostic {
  readonly code: string;
  readonly severity: "error" | "warning";
  readonly message: string;
  readonly file: string | null;
  readonly field: string | null;
  readonly hint: string | null;
}

export function diagnosticFrom(error: unknown, severity: "error" | "warning" = "error"): Diagnostic {
  if (isNovakitError(error)) {
    return {
      code: error.code,
      severity,
      message: error.message,
      file: error.location.file ?? null,
      field: error.location.field ?? null,
      hint: error.hint ?? null,
    };
  }
  throw error;
}

export function formatDiagnostic(diagnostic: Diagnostic): string {
  const where = [diagnostic.file, diagnostic.field].filter((part): part is string => part !== null).join(": ");
  const hint = diagnostic.hint === null ? "" : `\n    hint: ${diagnostic.hint}`;
  return `${diagnostic.severity} ${diagnostic.code}: ${where === "" ? "" : `${where}: `}${diagnostic.message}${hint}`;
}
