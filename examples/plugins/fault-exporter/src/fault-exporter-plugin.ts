import { definePlugin, type NovakitPlugin } from "@novakit/kernel-core";
import { z } from "zod";
import { noDestination } from "./exporter-diagnostics.js";
import { FileFaultSink } from "./file-fault-sink.js";
import { faultEventToJsonLine } from "./fault-json-line.js";
import type { FaultLineSink } from "./fault-line-sink.js";

export const FAULT_EXPORTER_NAME = "novakit-plugin-fault-exporter";

export const faultExporterOptionsSchema = z
  .object({
    /** file to write, one JSON object per line; truncated at boot. Relative to the working directory */
    path: z.string().min(1).optional(),
    /** lines buffered before a write; everything left is written at shutdown */
    batchLines: z.number().int().min(1).max(1_000_000).default(256),
  })
  .strict()
  .default({ batchLines: 256 });

export type FaultExporterOptions = z.output<typeof faultExporterOptionsSchema>;

export interface FaultExporterSetup {
  /**
   * Write to this sink instead of the `path` option (tests, in-process tools). The sink is
   * closed at the kernel's shutdown, so give each kernel its own.
   */
  readonly sink?: FaultLineSink;
}

/**
 * Build the exporter. `faultExporterPlugin` below is this with no setup, writing to `path`;
 * call it yourself to hand in a sink.
 */
export function createFaultExporterPlugin(setup: FaultExporterSetup = {}): NovakitPlugin<FaultExporterOptions> {
  return definePlugin<FaultExporterOptions>({
    name: FAULT_EXPORTER_NAME,
    version: "0.1.0",
    kind: "exporter",
    description: "writes every fault (DMA, #CP, #PF, exceptions) as one JSON line to a file",
    options: faultExporterOptionsSchema,
    register(context) {
      const { path, batchLines } = context.options;
      if (setup.sink === undefined && path === undefined) throw noDestination();
      // per-kernel state lives in this closure, never at module level
      let sink: FaultLineSink | undefined = setup.sink;
      let sequence = 0;
      // The file is opened when the boot reaches `start`, not at registration: `check` and
      // `compose` register plugins to discover the platform and must not truncate a log.
      context.hooks.start.tap(context.pluginName, () => {
        if (sink === undefined && path !== undefined) sink = new FileFaultSink(path, batchLines);
      });
      context.hooks.fault.tap(context.pluginName, (event) => {
        const line = faultEventToJsonLine(event, sequence++);
        if (sink === undefined) throw noDestination();
        sink.write(line);
      });
      context.hooks.shutdown.tap(context.pluginName, () => {
        sink?.close();
      });
    },
  });
}

export const faultExporterPlugin = createFaultExporterPlugin();
