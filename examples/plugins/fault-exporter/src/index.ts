import { definePlugin, type NovakitPlugin } from "@novakit/kernel-core";
import { noDestination } from "./exporter-diagnostics.js";
import { FileFaultSink } from "./file-fault-sink.js";
import { faultEventToJsonLine } from "./fault-json-line.js";
import type { FaultLineSink } from "./fault-line-sink.js";
import { faultExporterOptionsSchema, type FaultExporterOptions } from "./options.js";

/** The package name: taps, console lines and the boot report are filed under it. */
export const FAULT_EXPORTER_NAME = "novakit-plugin-fault-exporter";

export interface FaultExporterSetup {
  /**
   * Write to this sink instead of the `path` option (tests, in-process tools). The sink is
   * closed at the kernel's shutdown, so give each kernel its own.
   */
  readonly sink?: FaultLineSink;
}

/**
 * novakit-plugin-fault-exporter: writes every fault (DMA, #CP, #PF, exceptions) as one JSON line.
 * `faultExporterPlugin` below is this with no setup, writing to the `path` option; call it
 * yourself to hand in a sink.
 *
 * Written against the public API of @novakit/kernel-core only. docs/plugins.md in the Novakit
 * repository describes every hook (when it runs, its arguments, what a tap may return, ordering
 * with `stage`/`before`), the manifest fields, the DI tokens and the stability policy.
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
      // Per-kernel state lives in this closure, never at module level: two kernels in one process
      // (tests, `novakit matrix`) must not see each other's state.
      let sink: FaultLineSink | undefined = setup.sink;
      let sequence = 0;
      // docs/plugins.md#start: the file is opened when the boot reaches `start`, not at
      // registration: `check` and `compose` register plugins to discover the platform and must
      // not truncate a log.
      context.hooks.start.tap(context.pluginName, () => {
        if (sink === undefined && path !== undefined) sink = new FileFaultSink(path, batchLines);
      });
      // docs/plugins.md#fault: sync, called for every fault of the boot; on the simulator's hot
      // path, hence the sink's batching.
      context.hooks.fault.tap(context.pluginName, (event) => {
        const line = faultEventToJsonLine(event, sequence++);
        if (sink === undefined) throw noDestination();
        sink.write(line);
      });
      // docs/plugins.md#shutdown: the simulation ended; everything buffered is written.
      context.hooks.shutdown.tap(context.pluginName, () => {
        sink?.close();
      });
    },
  });
}

/** The exporter writing to its `path` option: what configurations that name the package get. */
export const faultExporterPlugin = createFaultExporterPlugin();

export { faultExporterOptionsSchema, type FaultExporterOptions } from "./options.js";
export { faultEventToJsonLine } from "./fault-json-line.js";
export type { FaultLineSink } from "./fault-line-sink.js";
export { MemoryFaultSink } from "./memory-fault-sink.js";
export { FileFaultSink } from "./file-fault-sink.js";
export { FaultExporterDiagnostic } from "./exporter-diagnostics.js";

// the plugin, for configurations that name this package: plugins: ["novakit-plugin-fault-exporter"]
export default faultExporterPlugin;
