import { NovakitError } from "../errors/novakit-error.js";
import type { WorkloadDefinition } from "./workload.js";

/** Workloads by name: the built-in ones and those plugins register (PluginContext.registerWorkload). */
export class WorkloadRegistry {
  private readonly byName = new Map<string, { definition: WorkloadDefinition; origin: string }>();

  register(definition: WorkloadDefinition, origin: string): void {
    const existing = this.byName.get(definition.name);
    if (existing) {
      throw new NovakitError(
        "NK-KRN-212",
        `workload "${definition.name}" from ${origin} is already registered by ${existing.origin}`,
        { field: "workload" },
      );
    }
    this.byName.set(definition.name, { definition, origin });
  }

  get(name: string): WorkloadDefinition | undefined {
    return this.byName.get(name)?.definition;
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }
}
