import type { TemplateContext } from "../template-context.js";

/**
 * vitest.config.ts. Inside the repository it merges vitest.shared.ts (kernel-core resolved from
 * its sources through the "@novakit/source" condition, reflect-metadata loaded first), as every
 * package here does. Standalone it must not: kernel-core is an installed package read from its
 * dist/, and kernel-core's entry loads reflect-metadata itself.
 */
export function vitestConfigTemplate(context: TemplateContext): string {
  const project = `{ test: { name: ${JSON.stringify(context.name.full)}, include: ["src/**/*.test.ts"] } }`;
  if (context.repositoryRoot !== undefined) {
    return `import { defineProject, mergeConfig } from "vitest/config";
import { shared } from "${context.repositoryRoot}/vitest.shared.js";

export default mergeConfig(shared, defineProject(${project}));
`;
  }
  return `import { defineConfig } from "vitest/config";

export default defineConfig(${project});
`;
}
