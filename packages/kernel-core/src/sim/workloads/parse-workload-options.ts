import type { z } from "zod";
import { NovakitError } from "../../errors/novakit-error.js";
import type { WorkloadInstance } from "../workload.js";

/**
 * The typed options of a workload with a zod schema. The root task has validated them already
 * (WorkloadDefinition.optionsSchema); parsing again gives the body its types and covers bodies
 * run outside the root task. A bad option is an input error naming the field.
 */
export function parseWorkloadOptions<Schema extends z.ZodType>(schema: Schema, instance: WorkloadInstance, workload: string): z.output<Schema> {
  const parsed = schema.safeParse(instance.options);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue && issue.path.length > 0 ? `.${issue.path.map(String).join(".")}` : "";
  throw new NovakitError("NK-DEV-050", `workload "${workload}" of domain "${instance.domain}": ${issue?.message ?? "invalid options"}`, {
    field: `workloadOptions${path}`,
  });
}
