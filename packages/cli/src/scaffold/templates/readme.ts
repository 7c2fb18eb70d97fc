import { KIND_STARTERS } from "../kind-starters.js";
import { identifiers, type TemplateContext } from "../template-context.js";

/** README.md: what the plugin is, how to configure it, how to develop it. */
export function readmeTemplate(context: TemplateContext): string {
  const ids = identifiers(context);
  const starter = KIND_STARTERS[context.kind];
  const full = context.name.full;
  const schedulerNote =
    context.kind === "scheduler"
      ? `\nA kernel has at most one scheduler: configure this one instead of \`@novakit/scheduler\`
(\`{ name: "@novakit/scheduler", enabled: false }\`).\n`
      : "";
  const install =
    context.repositoryRoot !== undefined
      ? "Inside the Novakit repository the package resolves `@novakit/kernel-core` from its sources;\nrun `npm install` at the repository root if its folder is not yet a workspace."
      : "`npm install` installs `@novakit/kernel-core` (a peer dependency), zod, TypeScript and vitest.";
  return `# ${full}

A Novakit plugin of kind \`${context.kind}\`: ${starter.summary}. It taps the kernel's
\`${starter.hook}\` hook and files \`${starter.figure}\` on the \`report\` hook, so the figure appears in
\`BootResult.pluginReports["${full}"]\` (and in \`novakit boot --json\`).
${schedulerNote}
## Use

\`\`\`ts
// novakit.config.ts
plugins: [{ name: "${full}", options: { verbose: true } }]
\`\`\`

| option | default | meaning |
| --- | --- | --- |
| \`verbose\` | \`false\` | write a console line each time the hook fires |

In code: \`import { ${ids.plugin} } from "${full}"\` (also the default export).

## Develop

${install}

\`\`\`sh
npm test            # boots a minimal kernel around the plugin (kernel-core's test kit)
npm run typecheck
npm run build       # dist/, what the package publishes
\`\`\`

The hooks, their order and arguments, the DI tokens, the test kit and kernel-core's stability
policy are described in docs/plugins.md of the Novakit repository.
`;
}
