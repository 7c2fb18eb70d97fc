import { indexSourceTemplate } from "./templates/index-source.js";
import { optionsSourceTemplate } from "./templates/options-source.js";
import { packageJsonTemplate } from "./templates/package-json.js";
import { pluginTestSourceTemplate } from "./templates/plugin-test-source.js";
import { readmeTemplate } from "./templates/readme.js";
import { schedulerPolicySourceTemplate } from "./templates/scheduler-policy-source.js";
import { tsconfigBuildJsonTemplate } from "./templates/tsconfig-build-json.js";
import { tsconfigJsonTemplate } from "./templates/tsconfig-json.js";
import { vitestConfigTemplate } from "./templates/vitest-config.js";
import type { TemplateContext } from "./template-context.js";

/** One generated file: its path relative to the package directory (POSIX) and its text. */
export interface ScaffoldFile {
  readonly path: string;
  readonly content: string;
}

/** Every file of a new plugin package, in the order they are written and listed. */
export function scaffoldFiles(context: TemplateContext): ScaffoldFile[] {
  const short = context.name.short;
  const files: ScaffoldFile[] = [
    { path: "package.json", content: packageJsonTemplate(context) },
    { path: "tsconfig.json", content: tsconfigJsonTemplate(context) },
    { path: "tsconfig.build.json", content: tsconfigBuildJsonTemplate(context) },
    { path: "vitest.config.ts", content: vitestConfigTemplate(context) },
    { path: "README.md", content: readmeTemplate(context) },
    { path: "src/index.ts", content: indexSourceTemplate(context) },
    { path: "src/options.ts", content: optionsSourceTemplate(context) },
  ];
  if (context.kind === "scheduler") files.push({ path: `src/${short}-policy.ts`, content: schedulerPolicySourceTemplate(context) });
  files.push({ path: `src/${short}.test.ts`, content: pluginTestSourceTemplate(context) });
  return files;
}
