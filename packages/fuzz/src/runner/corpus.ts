/**
 * The inputs the mutator starts from: the target's seeds, any inputs from --corpus, and every
 * mutant that reached an outcome no earlier input reached (outcome guidance, see guidanceKey).
 * Bounded, so a target with thousands of distinct diagnostics cannot exhaust memory.
 */
export class Corpus {
  private readonly inputs: Uint8Array[] = [];
  private readonly seenOutcomes = new Set<string>();
  /** the inputs added during this run (not the seeds), for saving back to --corpus */
  readonly discovered: Uint8Array[] = [];

  constructor(
    initial: readonly Uint8Array[],
    private readonly capacity: number,
  ) {
    this.inputs.push(...initial);
  }

  get entries(): readonly Uint8Array[] {
    return this.inputs;
  }

  get size(): number {
    return this.inputs.length;
  }

  /** records that an input reached `outcomeKey`; seeds are recorded without being added */
  noteSeedOutcome(outcomeKey: string): void {
    this.seenOutcomes.add(outcomeKey);
  }

  /** keeps the input when its outcome is new; returns whether it was kept */
  offer(input: Uint8Array, outcomeKey: string): boolean {
    if (this.seenOutcomes.has(outcomeKey)) return false;
    this.seenOutcomes.add(outcomeKey);
    if (this.inputs.length >= this.capacity) return false;
    this.inputs.push(input);
    this.discovered.push(input);
    return true;
  }

  get distinctOutcomes(): number {
    return this.seenOutcomes.size;
  }
}
