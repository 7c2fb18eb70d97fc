import type { TemplateContext } from "../template-context.js";

/**
 * tsconfig.build.json: emits dist/ (tests excluded). Inside the repository it is a composite
 * project referencing kernel-core's build, as the repository's packages are (tsc -b builds
 * kernel-core first); standalone it extends tsconfig.json and turns emitting back on.
 */
export function tsconfigBuildJsonTemplate(context: TemplateContext): string {
  const exclude = ["src/**/*.test.ts", "src/**/*.bench.ts", "src/**/test-support/**"];
  const config =
    context.repositoryRoot !== undefined
      ? {
          extends: `${context.repositoryRoot}/tsconfig.base.json`,
          compilerOptions: { composite: true, rootDir: "src", outDir: "dist" },
          include: ["src/**/*.ts"],
          exclude,
          references: [{ path: `${context.repositoryRoot}/packages/kernel-core/tsconfig.build.json` }],
        }
      : {
          extends: "./tsconfig.json",
          compilerOptions: { noEmit: false, composite: true, rootDir: "src", outDir: "dist" },
          include: ["src/**/*.ts"],
          exclude,
        };
  return `${JSON.stringify(config, null, 2)}\n`;
}
