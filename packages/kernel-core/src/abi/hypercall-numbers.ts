/** NOVA hypercall numbers (bits 3:0 of the identifier byte), reference/nova.md §2.3. */
export const Hypercall = {
  ipc_call: 0x0,
  ipc_reply: 0x1,
  create_pd: 0x2,
  create_ec: 0x3,
  create_sc: 0x4,
  create_pt: 0x5,
  create_sm: 0x6,
  ctrl_pd: 0x7,
  ctrl_ec: 0x8,
  ctrl_sc: 0x9,
  ctrl_pt: 0xa,
  ctrl_sm: 0xb,
  ctrl_hw: 0xc,
  assign_int: 0xd,
  assign_dev: 0xe,
} as const;
export type HypercallName = keyof typeof Hypercall;
export const hypercallNames = Object.keys(Hypercall) as readonly HypercallName[];
