import { z } from "zod";

/**
 * NOVA's CFP build levels (reference/cet.md §7, nova.md §5): the Makefile passes
 * `-fcf-protection=$(CFP)`; branch = IBT, return = supervisor shadow stacks (SSS), full = both.
 */
export const CFP_LEVELS = ["none", "branch", "return", "full"] as const;
export type CfpLevel = (typeof CFP_LEVELS)[number];

/** NOVA's default: CET costs run time and needs capable hardware, so it is off (cet.md §7). */
export const DEFAULT_CFP_LEVEL: CfpLevel = "none";

export const cetOptionsSchema = z
  .object({
    /** the CFP level the hypervisor image is built with (`make CFP=...`) */
    cfp: z.enum(CFP_LEVELS).default(DEFAULT_CFP_LEVEL),
    /**
     * What boot does when the CPU cannot do the level: "refuse" (default) stops the boot with
     * NK-CET-050, as `check` reports it; "patch" boots like real NOVA would, which patches the
     * CET instructions of a missing feature to NOPs (cet.md §7 step 1) and says so in the log.
     */
    unsupported: z.enum(["refuse", "patch"]).default("refuse"),
  })
  .strict();

export type CetOptions = z.output<typeof cetOptionsSchema>;
