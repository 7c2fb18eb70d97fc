/** NOVA hypercall status codes ([SPEC-2024] = [REL-24.08], reference/nova.md §2.2). */
export const Status = {
  SUCCESS: 0x0,
  TIMEOUT: 0x1,
  ABORTED: 0x2,
  OVRFLOW: 0x3,
  BAD_HYP: 0x4,
  BAD_CAP: 0x5,
  BAD_PAR: 0x6,
  BAD_FTR: 0x7,
  BAD_CPU: 0x8,
  BAD_DEV: 0x9,
  MEM_OBJ: 0xa,
  MEM_CAP: 0xb,
} as const;
export type Status = (typeof Status)[keyof typeof Status];

const statusNames: ReadonlyMap<number, string> = new Map(Object.entries(Status).map(([k, v]) => [v, k]));
export function statusName(status: number): string {
  return statusNames.get(status) ?? `0x${status.toString(16)}`;
}
