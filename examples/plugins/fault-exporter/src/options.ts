import { z } from "zod";

/**
 * Options of novakit-plugin-fault-exporter, as a configuration gives them:
 *   plugins: [{ name: "novakit-plugin-fault-exporter", options: { path: "faults.jsonl" } }]
 * The kernel parses them with this schema before register() runs (docs/plugins.md#options):
 * defaults fill what the configuration leaves out, and a strict object makes a misspelt option
 * an error (NK-PLG-010) instead of being silently ignored.
 */
export const faultExporterOptionsSchema = z
  .object({
    /** file to write, one JSON object per line; truncated at boot. Relative to the working directory */
    path: z.string().min(1).optional(),
    /** lines buffered before a write; everything left is written at shutdown */
    batchLines: z.number().int().min(1).max(1_000_000).default(256),
  })
  .strict()
  .default({ batchLines: 256 });

/** The options register() receives: parsed, defaults applied. */
export type FaultExporterOptions = z.output<typeof faultExporterOptionsSchema>;
