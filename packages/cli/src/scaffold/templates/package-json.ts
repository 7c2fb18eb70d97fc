import { SCAFFOLD_DEV_TOOL_VERSIONS } from "../toolchain-versions.js";
import { KIND_STARTERS } from "../kind-starters.js";
import type { TemplateContext } from "../template-context.js";

/**
 * package.json: ESM, exports with the "@novakit/source" condition like every package of the
 * repository (dev tools read src/, plain node reads dist/), kernel-core as a caret peer range
 * (the host application provides the one kernel; docs/plugins.md#stability-policy says what a
 * minor release may change), zod pinned to kernel-core's own.
 */
export function packageJsonTemplate(context: TemplateContext): string {
  const { kernelCore, zod } = context.versions;
  const manifest = {
    name: context.name.full,
    version: "0.1.0",
    description: `Novakit ${context.kind} plugin: ${KIND_STARTERS[context.kind].summary}`,
    type: "module",
    license: "MIT",
    keywords: ["novakit", "novakit-plugin"],
    exports: {
      ".": {
        "@novakit/source": "./src/index.ts",
        types: "./dist/index.d.ts",
        default: "./dist/index.js",
      },
    },
    files: ["dist", "README.md"],
    scripts: {
      build: "tsc -b tsconfig.build.json",
      typecheck: "tsc -p tsconfig.json --noEmit",
      test: "vitest run",
    },
    peerDependencies: { "@novakit/kernel-core": `^${kernelCore}` },
    dependencies: { zod },
    devDependencies: {
      "@novakit/kernel-core": kernelCore,
      ...SCAFFOLD_DEV_TOOL_VERSIONS,
    },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
