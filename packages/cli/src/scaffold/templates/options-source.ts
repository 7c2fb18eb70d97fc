import { identifiers, type TemplateContext } from "../template-context.js";

/** src/options.ts: the zod schema of the plugin's options and the type it parses to. */
export function optionsSourceTemplate(context: TemplateContext): string {
  const ids = identifiers(context);
  const full = context.name.full;
  return `import { z } from "zod";

/**
 * Options of ${full}, as a configuration gives them:
 *   plugins: [{ name: "${full}", options: { verbose: true } }]
 * The kernel parses them with this schema before register() runs (docs/plugins.md#options):
 * defaults fill what the configuration leaves out, and a strict object makes a misspelt option
 * an error (NK-PLG-010) instead of being silently ignored.
 */
export const ${ids.optionsSchema} = z.strictObject({
  /** write a console line each time the plugin's hook fires */
  verbose: z.boolean().default(false),
});

/** The options register() receives: parsed, defaults applied. */
export type ${ids.optionsType} = z.output<typeof ${ids.optionsSchema}>;
`;
}
