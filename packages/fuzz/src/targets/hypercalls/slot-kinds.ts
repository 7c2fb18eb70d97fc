/** What the fuzzer believes a window slot holds, so it can steer selectors to the right type. */
export type SlotKind = "pd" | "obj" | "hst" | "gst" | "dma" | "pio" | "msr" | "ec-local" | "ec-global" | "sc" | "pt" | "sm";

/** create_pd OP -> the kind of the new capability (nova.md §1.1 subtypes) */
export const CREATE_PD_KINDS: readonly SlotKind[] = ["pd", "obj", "hst", "gst", "dma", "pio", "msr"];

/**
 * The fuzzer's belief about one object space's window, updated from successful hypercalls. It is
 * only a steering aid (a wrong belief just makes a call fail with BAD_CAP): the kernel and the
 * invariant checker never see it.
 */
export class SlotBeliefs {
  private readonly kinds = new Map<number, SlotKind>();

  set(slot: number, kind: SlotKind | undefined): void {
    if (kind === undefined) this.kinds.delete(slot);
    else this.kinds.set(slot, kind);
  }

  get(slot: number): SlotKind | undefined {
    return this.kinds.get(slot);
  }

  /** the slots believed to hold one of `kinds`, in slot order */
  slotsOf(...kinds: SlotKind[]): number[] {
    const slots: number[] = [];
    for (const [slot, kind] of this.kinds) if (kinds.includes(kind)) slots.push(slot);
    return slots.sort((a, b) => a - b);
  }
}
