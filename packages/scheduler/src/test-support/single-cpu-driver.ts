import type { SchedulerPolicy } from "@novakit/kernel-core";
import type { FakeSc } from "./fake-sc.js";

/**
 * What an SC does when it runs, for the driver: `busy` never blocks; `periodic` needs `workNs`
 * each `periodNs`, released at multiples of the period, and blocks when done.
 */
export type Behaviour = { readonly kind: "busy" } | { readonly kind: "periodic"; readonly periodNs: number; readonly workNs: number };

export interface DriverResult {
  /** which SC ran in each slice, in order */
  readonly slices: readonly { readonly sc: number; readonly startNs: number; readonly ns: number }[];
  /** for periodic SCs: each job's completion time minus its release */
  readonly responseNs: ReadonlyMap<number, number[]>;
}

/**
 * A tiny model of NOVA's Scheduler::schedule() on one CPU (reference/nova.md §7), used to
 * exercise a policy without the kernel: charge the current SC, re-enqueue it unless it blocked,
 * pick the next, run it until its budget runs out, it blocks, or a release preempts it.
 */
export function runSingleCpu(
  policy: SchedulerPolicy,
  scs: readonly { readonly sc: FakeSc; readonly behaviour: Behaviour }[],
  durationNs: number,
): DriverResult {
  const slices: { sc: number; startNs: number; ns: number }[] = [];
  const responseNs = new Map<number, number[]>();
  const pendingWork = new Map<number, number>();
  const nextRelease = new Map<number, number>();
  const jobReleasedAt = new Map<number, number>();
  let now = 0;
  for (const { sc, behaviour } of scs) {
    if (behaviour.kind === "periodic") {
      pendingWork.set(sc.id, behaviour.workNs);
      jobReleasedAt.set(sc.id, 0);
      nextRelease.set(sc.id, behaviour.periodNs);
      responseNs.set(sc.id, []);
    }
    policy.enqueue(sc, now);
  }
  const behaviourOf = new Map(scs.map(({ sc, behaviour }) => [sc.id, behaviour] as const));
  const releaseDue = (): void => {
    for (const { sc, behaviour } of scs) {
      if (behaviour.kind !== "periodic") continue;
      const at = nextRelease.get(sc.id)!;
      if (at > now) continue;
      nextRelease.set(sc.id, at + behaviour.periodNs);
      if (pendingWork.get(sc.id)! > 0) continue; // overrun: the job is still queued or running
      pendingWork.set(sc.id, behaviour.workNs);
      jobReleasedAt.set(sc.id, at);
      policy.enqueue(sc, now);
    }
  };
  const earliestRelease = (): number => Math.min(Infinity, ...nextRelease.values());

  while (now < durationNs) {
    releaseDue();
    const current = policy.pickNext(0, now) as FakeSc | undefined;
    if (current === undefined) {
      now = Math.min(durationNs, earliestRelease());
      continue;
    }
    const behaviour = behaviourOf.get(current.id)!;
    const work = behaviour.kind === "periodic" ? pendingWork.get(current.id)! : Infinity;
    // run until the budget expires, the work is done, the run ends, or a release arrives that preempts
    let runFor = Math.min(current.leftNs, work, durationNs - now);
    const release = earliestRelease();
    if (release > now && release - now < runFor) runFor = release - now;
    slices.push({ sc: current.id, startNs: now, ns: runFor });
    now += runFor;
    current.leftNs -= runFor;
    current.usedNs += runFor;
    let blocked = false;
    if (behaviour.kind === "periodic") {
      const left = work - runFor;
      pendingWork.set(current.id, left);
      if (left === 0) {
        blocked = true;
        responseNs.get(current.id)!.push(now - jobReleasedAt.get(current.id)!);
      }
    }
    // releases that happened during the slice become ready now; the current SC goes back unless blocked
    releaseDue();
    if (!blocked) policy.enqueue(current, now);
  }
  return { slices, responseNs };
}
