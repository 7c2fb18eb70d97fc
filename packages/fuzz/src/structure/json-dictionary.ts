/**
 * Tokens that stress a JSON-reading loader: every JSON value kind, numbers JavaScript cannot hold
 * exactly or at all, strings that are not what a field expects, and the structural characters.
 */
export const JSON_TOKENS: readonly string[] = [
  "null",
  "true",
  "false",
  "0",
  "-1",
  "1e309",
  "-0",
  "9007199254740993",
  "4294967296",
  "0.5",
  '""',
  '"\\u0000"',
  '"0x"',
  '"0xffffffffffffffffffff"',
  "[]",
  "{}",
  "[[[[[[[[]]]]]]]]",
  '"__proto__"',
  '"constructor"',
  ",",
  ":",
  "{",
  "}",
  "[",
  "]",
  '"',
];
