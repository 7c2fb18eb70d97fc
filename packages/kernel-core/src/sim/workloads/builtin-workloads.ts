import type { WorkloadDefinition } from "../workload.js";
import { aiTenantWorkload } from "./ai-tenant.js";
import { compromisedDriverWorkload } from "./compromised-driver.js";
import { busyLoopWorkload } from "./busy-loop.js";
import { ipcClientWorkload, ipcServerWorkload } from "./ipc-echo.js";
import { periodicWorkload } from "./periodic.js";

/** The workloads every kernel knows (`novakit plugins --workloads`). */
export const BUILTIN_WORKLOADS: readonly WorkloadDefinition[] = Object.freeze([
  busyLoopWorkload,
  periodicWorkload,
  ipcServerWorkload,
  ipcClientWorkload,
  aiTenantWorkload,
  compromisedDriverWorkload,
]);
