import type { CliIo } from "./cli-io.js";

export interface Colors {
  bold(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  dim(text: string): string;
}

const plain = (text: string): string => text;
const sgr = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

/** ANSI colours only on a terminal, and never when NO_COLOR is set to anything non-empty (no-color.org). */
export function colorsFor(io: CliIo): Colors {
  const noColor = io.env["NO_COLOR"];
  if (!io.stdoutIsTty || (noColor !== undefined && noColor !== "")) {
    return { bold: plain, red: plain, yellow: plain, green: plain, dim: plain };
  }
  return { bold: sgr(1, 22), red: sgr(31, 39), yellow: sgr(33, 39), green: sgr(32, 39), dim: sgr(2, 22) };
}
