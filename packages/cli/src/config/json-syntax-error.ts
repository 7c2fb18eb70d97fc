import { NovakitError } from "@novakit/kernel-core";
import { CONFIG_CODES } from "./config-codes.js";

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf("\n") + 1;
  return { line: before.split("\n").length, column: offset - lineStart + 1 };
}

/**
 * JSON.parse with a syntax error turned into NK-CFG-002 naming line and column. V8 reports the
 * position as "at position N" (Node 20) or "(line L column C)" (newer); both are read, and the
 * end of the text is used when V8 gives none ("Unexpected end of JSON input").
 */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = (error as Error).message;
    const lineColumn = /line (\d+) column (\d+)/.exec(message);
    const position = /at position (\d+)/.exec(message);
    const where =
      lineColumn !== null
        ? { line: Number(lineColumn[1]), column: Number(lineColumn[2]) }
        : lineAndColumn(text, position !== null ? Number(position[1]) : text.length);
    const reason = message.replace(/\s*(?:in JSON )?at position \d+.*$/s, "").replace(/\s*\(line \d+ column \d+\)$/, "");
    throw new NovakitError(
      CONFIG_CODES.jsonSyntax,
      `JSON syntax error at line ${where.line}, column ${where.column}: ${reason}`,
      { file },
    );
  }
}
