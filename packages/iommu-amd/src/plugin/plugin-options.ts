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
    /**
     * Event log length in entries: 2^EventLen with EventLen 8..15 (reference/amd-iommu.md §2.2
     * Event Log Base 59:56, §6.1); NOVA's is 256 (one 4 KiB page), the smallest the hardware allows.
     */
    eventLogEntries: z
      .number()
      .int()
      .refine((entries) => entries >= 256 && entries <= 32768 && (entries & (entries - 1)) === 0, "a power of two from 256 to 32768")
      .optional(),
    /**
     * Deterministic hardware faults for fault-injection runs (nothing NOVA has: the model's
     * switches). stallCommandsAfter: every unit's command processor stops after that many commands
     * (init included), so the next COMPLETION_WAIT times out: assign_dev answers TIMEOUT.
     */
    faultInjection: z
      .object({
        stallCommandsAfter: z.number().int().min(0).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  // a configuration that lists the plugin without options passes undefined
  .default({ faultLog: true });

export type IommuAmdOptions = z.output<typeof iommuAmdOptionsSchema>;
