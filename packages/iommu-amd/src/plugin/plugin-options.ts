import { z } from "zod";

/**
 * Options of @novakit/iommu-amd. NOVA has no switch for fault logging (nova.md §4.7: it is the
 * compiled-in TRACE_SMMU category, on by default), so `faultLog` defaults to on; turning it off
 * keeps the hardware event log (events are still consumed) but prints and publishes nothing.
 */
export const iommuAmdOptionsSchema = z
  .object({
    /** print every event in the boot log and publish it on the `fault` hook */
    faultLog: z.boolean().default(true),
    /** IOTLB entries per unit (the model's bounded cache); omitted = the model's default */
    iotlbCapacity: z.number().int().min(1).max(1 << 20).optional(),
  })
  .strict()
  // a configuration that lists the plugin without options passes undefined
  .default({ faultLog: true });

export type IommuAmdOptions = z.output<typeof iommuAmdOptionsSchema>;
