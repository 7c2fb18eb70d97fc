import { EventType } from "../event-log/event-types.js";
import type { ExtendStep } from "./launch-step.js";

/** PCR and locality of NOVA's own measurement (nova.md §6.2). */
export const NOVA_ROOT_PCR = 19;
export const NOVA_ROOT_LOCALITY = 2;

/**
 * NOVA's step after the DRTM (nova.md §6.2, txt-tpm.md §11): the root task's first read-only
 * PT_LOAD segment, hashed in every allocated bank, extended into PCR 19 at locality 2 and logged
 * as EV_EVENT_TAG with a TCG_PCClientTaggedEvent of id 0 and data size 0 (8 zero bytes).
 */
export function novaRootStep(rootSegment: Uint8Array): ExtendStep {
  return {
    kind: "extend",
    pcr: NOVA_ROOT_PCR,
    locality: NOVA_ROOT_LOCALITY,
    measured: rootSegment,
    eventType: EventType.EV_EVENT_TAG,
    event: new Uint8Array(8),
    description: `NOVA: root task's first read-only segment (${rootSegment.length} bytes)`,
  };
}
