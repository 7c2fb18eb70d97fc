import { z } from "zod";

/**
 * Options of novakit-plugin-edf-scheduler: none yet. The kernel parses a configuration's options
 * with this schema before register() runs (docs/plugins.md#options); strict, so a misspelt option
 * is an error (NK-PLG-010) rather than silently ignored.
 */
export const edfSchedulerOptionsSchema = z.object({}).strict().default({});

/** The options register() receives: parsed, defaults applied. */
export type EdfSchedulerOptions = z.output<typeof edfSchedulerOptionsSchema>;
