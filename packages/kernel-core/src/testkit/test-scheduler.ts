import type { SchedulableContext, SchedulerPolicy } from "../hooks/scheduler-policy.js";
import { definePlugin, type NovakitPlugin } from "../plugin/plugin-definition.js";

const PRIORITIES = 128;

/**
 * TEST-ONLY fixed-priority round-robin policy, so kernel-core tests and plugin authors can boot
 * without the real scheduler package: per CPU 128 FIFO queues; an SC with budget left goes to
 * the head (it was preempted), one with none to the tail with a refill (reference/nova.md §7);
 * a strictly higher priority preempts. Replace it with @novakit/scheduler for real runs.
 */
export class TestRoundRobinPolicy implements SchedulerPolicy {
  readonly name = "testkit-round-robin";
  private readonly queues: SchedulableContext[][][];

  constructor(cpus: number) {
    this.queues = Array.from({ length: cpus }, () => Array.from({ length: PRIORITIES }, () => []));
  }

  enqueue(sc: SchedulableContext): void {
    const queue = this.queues[sc.cpu]![sc.priority]!;
    if (sc.leftNs > 0) {
      queue.unshift(sc);
    } else {
      sc.leftNs = sc.budgetNs;
      queue.push(sc);
    }
  }

  dequeue(sc: SchedulableContext): void {
    const queue = this.queues[sc.cpu]![sc.priority]!;
    const index = queue.indexOf(sc);
    if (index >= 0) queue.splice(index, 1);
  }

  pickNext(cpu: number): SchedulableContext | undefined {
    const queues = this.queues[cpu]!;
    for (let priority = PRIORITIES - 1; priority >= 0; priority--) {
      const next = queues[priority]!.shift();
      if (next) return next;
    }
    return undefined;
  }

  preempts(incoming: SchedulableContext, current: SchedulableContext | undefined): boolean {
    return current === undefined || incoming.priority > current.priority;
  }
}

/** The test-only scheduler as a plugin. */
export function testSchedulerPlugin(): NovakitPlugin {
  return definePlugin({
    name: "@novakit/testkit-scheduler",
    version: "0.0.0-test",
    kind: "scheduler",
    description: "TEST ONLY: fixed-priority round robin",
    register(context) {
      context.hooks.scheduler.tap(context.pluginName, (request) => new TestRoundRobinPolicy(request.cpus));
    },
  });
}
