import { identifiers, type TemplateContext } from "../template-context.js";

/** src/<short>-policy.ts (scheduler plugins only): a complete, working policy to start from. */
export function schedulerPolicySourceTemplate(context: TemplateContext): string {
  const ids = identifiers(context);
  return `import type { SchedulableContext, SchedulerPolicy } from "@novakit/kernel-core";

/** NOVA's priorities: 0 (the idle SC) to 127 (the root SC). */
const PRIORITY_LEVELS = 128;

/**
 * Fixed-priority round robin, as NOVA schedules (docs/plugins.md#scheduler): per CPU one FIFO
 * queue per priority, the highest non-empty queue runs. An SC preempted with budget left resumes
 * at the head of its queue; one whose budget ran out is refilled and goes to the tail. The
 * kernel owns SCs, budgets and time; a policy only orders the ready SCs: change the queues to
 * change the discipline.
 */
export class ${ids.policyClass} implements SchedulerPolicy {
  readonly name = ${JSON.stringify(context.name.full)};
  /** how many times pickNext handed out an SC: the figure the plugin reports */
  picks = 0;
  private readonly queues: SchedulableContext[][][];

  constructor(cpus: number) {
    this.queues = Array.from({ length: cpus }, () => Array.from({ length: PRIORITY_LEVELS }, () => []));
  }

  enqueue(sc: SchedulableContext): void {
    const queue = this.queueOf(sc);
    if (sc.leftNs > 0) {
      queue.unshift(sc);
    } else {
      sc.leftNs = sc.budgetNs;
      queue.push(sc);
    }
  }

  dequeue(sc: SchedulableContext): void {
    const queue = this.queueOf(sc);
    const index = queue.indexOf(sc);
    if (index >= 0) queue.splice(index, 1);
  }

  pickNext(cpu: number): SchedulableContext | undefined {
    const byPriority = this.queues[cpu] ?? [];
    for (let priority = PRIORITY_LEVELS - 1; priority >= 0; priority--) {
      const next = byPriority[priority]?.shift();
      if (next !== undefined) {
        this.picks++;
        return next;
      }
    }
    return undefined;
  }

  preempts(incoming: SchedulableContext, current: SchedulableContext | undefined): boolean {
    return current === undefined || incoming.priority > current.priority;
  }

  private queueOf(sc: SchedulableContext): SchedulableContext[] {
    const queue = this.queues[sc.cpu]?.[sc.priority];
    // the kernel only hands in CPUs below the count it asked for and priorities 0..127; anything
    // else is a kernel bug, which the tap interceptor reports as NK-KRN-201 naming this plugin
    if (queue === undefined) throw new RangeError(\`SC \${sc.id}: CPU \${sc.cpu} or priority \${sc.priority} is out of range\`);
    return queue;
  }
}
`;
}
