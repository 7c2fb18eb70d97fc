/**
 * Values that sit on the edges parsers get wrong: zero, sign boundaries, all-ones, powers of two
 * near typical buffer sizes. The same lists AFL and libFuzzer start from; written out here so
 * the mutator has no dependency.
 */
export const INTERESTING_8: readonly number[] = [0x00, 0x01, 0x10, 0x20, 0x40, 0x64, 0x7f, 0x80, 0xff, 0xfe];
export const INTERESTING_16: readonly number[] = [0x0000, 0x0001, 0x0080, 0x00ff, 0x0100, 0x0200, 0x03e8, 0x0400, 0x1000, 0x7fff, 0x8000, 0xffff, 0xfffe];
export const INTERESTING_32: readonly number[] = [
  0x0000_0000, 0x0000_0001, 0x0000_0100, 0x0000_1000, 0x0001_0000, 0x0010_0000, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff, 0xffff_fffe, 0x0000_ffff,
];
