/**
 * Every error Novakit reports about its input is a NovakitError: a stable diagnostic code
 * (documented in docs/diagnostics.md), a message for people, and the place in the input that
 * is to blame. The CLI prints these without a stack trace and exits with status 2.
 */
export interface InputLocation {
  /** file path, or a name such as "profile qemu-q35-amd-iommu" for built-in inputs */
  readonly file?: string;
  /** byte offset into a binary input */
  readonly offset?: number;
  /** dotted path of a field, e.g. "domains[1].memoryMiB" or "MADT.entries[3].length" */
  readonly field?: string;
}

export class NovakitError extends Error {
  override readonly name = "NovakitError";
  constructor(
    /** stable code such as "NK-CFG-003"; never reused for another meaning */
    readonly code: string,
    message: string,
    readonly location: InputLocation = {},
    readonly hint?: string,
  ) {
    super(message);
  }

  /** "file: offset 0x24: field X: message [CODE]" — the one line a person reads. */
  describe(): string {
    const parts: string[] = [];
    if (this.location.file !== undefined) parts.push(this.location.file);
    if (this.location.offset !== undefined) parts.push(`offset 0x${this.location.offset.toString(16)}`);
    if (this.location.field !== undefined) parts.push(this.location.field);
    const where = parts.length > 0 ? `${parts.join(": ")}: ` : "";
    return `${where}${this.message} [${this.code}]${this.hint ? `\n  hint: ${this.hint}` : ""}`;
  }
}

export function isNovakitError(error: unknown): error is NovakitError {
  return error instanceof NovakitError;
}

/** Thrown by parts of a plugin that a later issue builds; says so instead of pretending. */
export class NotImplementedError extends NovakitError {
  constructor(what: string) {
    super("NK-GEN-001", `${what} is not implemented yet`);
  }
}
