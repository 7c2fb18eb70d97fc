export {
  createFaultExporterPlugin,
  faultExporterPlugin,
  faultExporterOptionsSchema,
  FAULT_EXPORTER_NAME,
} from "./fault-exporter-plugin.js";
export type { FaultExporterOptions, FaultExporterSetup } from "./fault-exporter-plugin.js";
export { faultEventToJsonLine } from "./fault-json-line.js";
export type { FaultLineSink } from "./fault-line-sink.js";
export { MemoryFaultSink } from "./memory-fault-sink.js";
export { FileFaultSink } from "./file-fault-sink.js";
export { FaultExporterDiagnostic } from "./exporter-diagnostics.js";

// the plugin, for configurations that reference this package by name
export { faultExporterPlugin as default } from "./fault-exporter-plugin.js";
