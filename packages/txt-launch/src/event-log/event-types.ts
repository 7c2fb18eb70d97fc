/**
 * Event types of the TCG PC Client log (txt-tpm.md §8.4) and Intel TXT's (§7.4, EVTYPE_BASE 0x400),
 * the ones a DRTM log of Novakit writes or a verifier names.
 */
export const EventType = {
  EV_NO_ACTION: 0x3,
  EV_SEPARATOR: 0x4,
  EV_ACTION: 0x5,
  EV_EVENT_TAG: 0x6,
  EVTYPE_PCRMAPPING: 0x401,
  EVTYPE_HASH_START: 0x402,
  EVTYPE_COMBINED_HASH: 0x403,
  EVTYPE_MLE_HASH: 0x404,
  EVTYPE_BIOSAC_REG_DATA: 0x40a,
  EVTYPE_CPU_SCRTM_STAT: 0x40b,
  EVTYPE_LCP_CONTROL_HASH: 0x40c,
  EVTYPE_ELEMENTS_HASH: 0x40d,
  EVTYPE_STM_HASH: 0x40e,
  EVTYPE_OSSINITDATA_CAP_HASH: 0x40f,
  EVTYPE_SINIT_PUBKEY_HASH: 0x410,
  EVTYPE_LCP_HASH: 0x411,
  EVTYPE_LCP_DETAILS_HASH: 0x412,
  EVTYPE_LCP_AUTHORITIES_HASH: 0x413,
  EVTYPE_NV_INFO_HASH: 0x414,
  EVTYPE_CAP_VALUE: 0x4ff,
} as const;

const NAMES: ReadonlyMap<number, string> = new Map(Object.entries(EventType).map(([name, value]) => [value, name]));

/** "EVTYPE_MLE_HASH", or "0x1234" for a type this table does not name. */
export function eventTypeName(type: number): string {
  return NAMES.get(type) ?? `0x${type.toString(16)}`;
}

/** PCR index of records that are logged but never extended (TXT EVTYPE_PCRMAPPING). */
export const NOT_EXTENDED_PCR = 0xff;
