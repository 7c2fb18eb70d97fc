import { KIND_STARTERS } from "../kind-starters.js";
import { identifiers, type TemplateContext } from "../template-context.js";

/** src/index.ts: the plugin (definePlugin with manifest, options schema and one hook tap). */
export function indexSourceTemplate(context: TemplateContext): string {
  const ids = identifiers(context);
  const starter = KIND_STARTERS[context.kind];
  const full = context.name.full;
  const policyImport = context.kind === "scheduler" ? `import { ${ids.policyClass} } from "./${context.name.short}-policy.js";\n` : "";
  const registerLines = starter.registerLines.map((line) => line.replaceAll("POLICY", ids.policyClass)).join("\n");
  const figure = starter.figureValue === starter.figure ? starter.figure : `${starter.figure}: ${starter.figureValue}`;
  const policyExport = context.kind === "scheduler" ? `export { ${ids.policyClass} } from "./${context.name.short}-policy.js";\n` : "";
  return `import { definePlugin } from "@novakit/kernel-core";
import { ${ids.optionsSchema}, type ${ids.optionsType} } from "./options.js";
${policyImport}
/** The package name: taps, console lines and the boot report are filed under it. */
export const ${ids.nameConstant} = ${JSON.stringify(full)};

/**
 * ${full}: ${starter.summary}.
 *
 * Written against the public API of @novakit/kernel-core only. docs/plugins.md in the Novakit
 * repository describes every hook (when it runs, its arguments, what a tap may return, ordering
 * with \`stage\`/\`before\`), the manifest fields, the DI tokens and the stability policy.
 */
export const ${ids.plugin} = definePlugin<${ids.optionsType}>({
  name: ${ids.nameConstant},
  version: "0.1.0",
  kind: ${JSON.stringify(context.kind)},
  description: ${JSON.stringify(starter.summary)},
  options: ${ids.optionsSchema},
  register(context) {
    // Per-kernel state lives in this closure, never at module level: two kernels in one process
    // (tests, \`novakit matrix\`) must not see each other's state.
${registerLines}
    // docs/plugins.md#report: after shutdown; what is filed here appears in BootResult.pluginReports.
    context.hooks.report.tap(context.pluginName, (collector) => {
      collector.file(context.pluginName, { ${figure} });
    });
  },
});

export { ${ids.optionsSchema}, type ${ids.optionsType} } from "./options.js";
${policyExport}
// the plugin, for configurations that name this package: plugins: [${JSON.stringify(full)}]
export default ${ids.plugin};
`;
}
