import type { TemplateContext } from "../template-context.js";

/**
 * tsconfig.json: the typecheck configuration (noEmit). Inside the repository it extends
 * tsconfig.base.json, whose "@novakit/source" condition makes tsc read kernel-core's sources;
 * standalone it carries the same strict NodeNext options and reads kernel-core's .d.ts files.
 */
export function tsconfigJsonTemplate(context: TemplateContext): string {
  if (context.repositoryRoot !== undefined) {
    return `${JSON.stringify(
      { extends: `${context.repositoryRoot}/tsconfig.base.json`, compilerOptions: { noEmit: true }, include: ["src/**/*.ts", "vitest.config.ts"] },
      null,
      2,
    )}\n`;
  }
  const compilerOptions = {
    target: "ES2022",
    lib: ["ES2022"],
    module: "NodeNext",
    moduleResolution: "NodeNext",
    types: ["node"],
    strict: true,
    noImplicitOverride: true,
    noFallthroughCasesInSwitch: true,
    isolatedModules: true,
    declaration: true,
    declarationMap: true,
    sourceMap: true,
    skipLibCheck: true,
    forceConsistentCasingInFileNames: true,
    noEmit: true,
  };
  return `${JSON.stringify({ compilerOptions, include: ["src/**/*.ts", "vitest.config.ts"] }, null, 2)}\n`;
}
