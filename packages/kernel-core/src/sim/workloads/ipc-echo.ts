import { Status } from "../../abi/status.js";
import type { WorkloadDefinition } from "../workload.js";
import { numberOption } from "./workload-options.js";

/**
 * Echo server: each call computes `serviceNs` (default 0) and replies with the caller's words
 * unchanged (the reply MTD equals the call's). Counts the calls served.
 */
export const ipcServerWorkload: WorkloadDefinition = {
  name: "ipc-server",
  description: "IPC echo server: replies with the message it got; counts calls served",
  async run() {
    // a serving domain's ECs are local: they run only in serve()
  },
  async serve(api, call, instance) {
    const serviceNs = numberOption(instance, "serviceNs", 0);
    if (serviceNs > 0) await api.compute(serviceNs);
    instance.report("served", 1);
    return call.mtd;
  },
};

/**
 * Echo client: calls the server portal (option `server` names the serving domain) with
 * `words` message words (default 4) carrying a running counter, checks the echo and counts
 * round trips; `thinkNs` (default 0) of compute between calls.
 */
export const ipcClientWorkload: WorkloadDefinition = {
  name: "ipc-client",
  description: "IPC echo client of workloadOptions.server; counts round trips and bad echoes",
  async run(api, instance) {
    const words = Math.min(512, Math.max(1, Math.round(numberOption(instance, "words", 4))));
    const thinkNs = numberOption(instance, "thinkNs", 0);
    const portal = instance.selectors["server"]!;
    for (let round = 1n; ; round++) {
      for (let i = 0; i < words; i++) api.utcb.set(i, round * 1000n + BigInt(i));
      const result = await api.call(portal, words - 1);
      if (result.status !== Status.SUCCESS) {
        instance.report("errors", 1);
        instance.report("lastError", result.status);
        await api.compute(10_000);
        continue;
      }
      let intact = true;
      for (let i = 0; i < words; i++) if (api.utcb.get(i) !== round * 1000n + BigInt(i)) intact = false;
      instance.report(intact ? "roundTrips" : "badEchoes", 1);
      if (thinkNs > 0) await api.compute(thinkNs);
    }
  },
};
