/**
 * Kernel object types and subtypes, [REL-24.08] `Kobject::Type` and subtypes (reference/nova.md §1.1).
 * Spaces are objects of type PD told apart by subtype; the PD subtypes double as create_pd OP values.
 */
export const ObjectTypeCode = { PD: 0, EC: 1, SC: 2, PT: 3, SM: 4 } as const;
export type ObjectType = keyof typeof ObjectTypeCode;

export const PdSubtype = { PD: 0, OBJ: 1, HST: 2, GST: 3, DMA: 4, PIO: 5, MSR: 6 } as const;
export type PdSubtypeName = keyof typeof PdSubtype;

export const EcSubtype = { EC_LOCAL: 0, EC_GLOBAL: 1, EC_VCPU_REAL: 2, EC_VCPU_OFFS: 3 } as const;

/** [2025] SM subtypes (unconfirmed upstream, §1.1): regular and interrupt semaphores. */
export const SmSubtype = { SM_REG: 0, SM_INT: 1 } as const;
