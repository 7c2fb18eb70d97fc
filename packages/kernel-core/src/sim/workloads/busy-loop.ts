import type { WorkloadDefinition } from "../workload.js";
import { numberOption } from "./workload-options.js";

/** Computes forever in slices of `sliceUs` µs (default 100); reports the slices it completed. */
export const busyLoopWorkload: WorkloadDefinition = {
  name: "busy-loop",
  description: "computes forever (slices of sliceUs µs); reports completed slices",
  async run(api, instance) {
    const sliceNs = numberOption(instance, "sliceUs", 100) * 1000;
    for (;;) {
      await api.compute(sliceNs);
      instance.report("slices", 1);
    }
  },
};
