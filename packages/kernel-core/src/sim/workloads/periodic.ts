import { Status } from "../../abi/status.js";
import type { WorkloadDefinition } from "../workload.js";
import { numberOption } from "./workload-options.js";

/**
 * Every `periodUs` µs (default 1000): compute `computeUs` µs (default 100), then sleep until the
 * next period by a down on the domain's semaphore with an absolute deadline (nobody ups it, so
 * the down ends in TIMEOUT). Reports completed periods and deadline misses.
 */
export const periodicWorkload: WorkloadDefinition = {
  name: "periodic",
  description: "computes computeUs µs every periodUs µs, sleeping on a semaphore timeout; reports periods and misses",
  async run(api, instance) {
    const computeNs = numberOption(instance, "computeUs", 100) * 1000;
    const periodNs = Math.max(1, numberOption(instance, "periodUs", 1000) * 1000);
    const sleep = instance.selectors["sleep"]!;
    let release = api.now();
    for (;;) {
      await api.compute(computeNs);
      const deadline = release + periodNs;
      if (api.now() > deadline) instance.report("misses", 1);
      instance.report("periods", 1);
      release = Math.max(deadline, api.now());
      const result = await api.ctrlSm(sleep, { down: true, deadlineNs: release });
      if (result.status !== Status.TIMEOUT && result.status !== Status.SUCCESS) {
        instance.report("sleepErrors", 1);
        return;
      }
    }
  },
};
