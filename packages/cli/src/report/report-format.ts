import { MemoryCapabilityPermission } from "@novakit/kernel-core";

/** 0x-prefixed lower-case hex, as the boot log and `inspect` print addresses. */
export const hex = (value: bigint | number): string => `0x${value.toString(16)}`;

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"] as const;

/** "64 MiB", "4 KiB", "1.5 GiB": binary units, at most one decimal, exact when it divides. */
export function byteSize(bytes: bigint): string {
  let unit = 0;
  let scaled = bytes;
  while (unit < UNITS.length - 1 && scaled >= 1024n && scaled % 1024n === 0n) {
    scaled /= 1024n;
    unit++;
  }
  if (scaled < 1024n || unit === UNITS.length - 1) return `${scaled} ${UNITS[unit]}`;
  // not a whole multiple: one decimal of the next unit up
  const tenths = (scaled * 10n) / 1024n;
  return `${tenths / 10n}.${tenths % 10n} ${UNITS[unit + 1]}`;
}

/** "RW-U" style letters of NOVA's memory permissions (reference/nova.md §1.4: R W XU XS). */
export function memoryPermissionLetters(permissions: number): string {
  return [
    permissions & MemoryCapabilityPermission.R ? "R" : "-",
    permissions & MemoryCapabilityPermission.W ? "W" : "-",
    permissions & MemoryCapabilityPermission.XU ? "Xu" : "--",
    permissions & MemoryCapabilityPermission.XS ? "Xs" : "--",
  ].join("");
}

/** Simulated nanoseconds for people: "43.2 µs", "12.500 ms". */
export function simulatedTime(ns: number): string {
  if (ns < 1_000) return `${ns} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(1)} µs`;
  return `${(ns / 1_000_000).toFixed(3)} ms`;
}

/** "1 fault", "3 faults" */
export function plural(count: number | bigint, word: string): string {
  return `${count} ${word}${count === 1 || count === 1n ? "" : "s"}`;
}
