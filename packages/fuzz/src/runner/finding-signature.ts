/**
 * What makes two findings "the same bug": the error's class, the shape of its message (numbers
 * and quoted text blanked out, so "index 7" and "index 9" agree) and the first stack frame that
 * is not inside node itself (function and file, without line and column, so a fix elsewhere in
 * the file keeps the signature). The minimiser keeps a candidate only if its signature is equal.
 */
export interface FindingSignature {
  /** "TypeError", "RangeError", or "non-Error thrown (string)" */
  readonly errorName: string;
  readonly message: string;
  readonly messageShape: string;
  /** "parseMadt (packages/arch-x86_64/src/acpi/madt.ts)", or "" when the error has no stack */
  readonly firstFrame: string;
  /** errorName + messageShape + firstFrame: the key findings are grouped by */
  readonly key: string;
}

export function signatureOf(thrown: unknown): FindingSignature {
  const errorName = thrown instanceof Error ? thrown.constructor.name || thrown.name : `non-Error thrown (${typeof thrown})`;
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  const messageShape = message
    .replace(/"[^"]*"|'[^']*'/g, '"…"')
    .replace(/0x[0-9a-fA-F]+/g, "#")
    .replace(/\d+/g, "#");
  const firstFrame = thrown instanceof Error ? firstFrameOf(thrown.stack ?? "") : "";
  return { errorName, message, messageShape, firstFrame, key: `${errorName}: ${messageShape} @ ${firstFrame}` };
}

function firstFrameOf(stack: string): string {
  for (const line of stack.split("\n")) {
    const frame = /^\s+at (?:(.+?) \()?(.+?)(?::\d+:\d+)?\)?$/.exec(line);
    if (frame === null) continue;
    const file = (frame[2] ?? "").replace(/^file:\/\//, "");
    if (file.startsWith("node:") || file === "native") continue;
    const shortFile = file.includes("/packages/") ? `packages/${file.split("/packages/").pop() ?? file}` : file;
    return `${frame[1] ?? "<anonymous>"} (${shortFile})`;
  }
  return "";
}
