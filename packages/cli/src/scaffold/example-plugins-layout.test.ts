import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXAMPLE_PLUGINS_DIR } from "../test-support/example-configs.js";
import { scaffoldFiles } from "./scaffold-files.js";
import { templateContextFor } from "./scaffold-plugin.js";
import type { ScaffoldKind } from "./template-context.js";

// The example plugins were rebuilt with `novakit plugin new`; this keeps them in the scaffold's
// shape, so a change to either shows up here instead of drifting apart silently.
const EXAMPLES: readonly { readonly folder: string; readonly name: string; readonly kind: ScaffoldKind }[] = [
  { folder: "edf-scheduler", name: "novakit-plugin-edf-scheduler", kind: "scheduler" },
  { folder: "fault-exporter", name: "novakit-plugin-fault-exporter", kind: "exporter" },
];

/** Configuration files carry no plugin logic: an example's must equal what the scaffold writes. */
const VERBATIM = ["tsconfig.json", "tsconfig.build.json", "vitest.config.ts"];

type Manifest = Record<string, unknown> & { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };

describe.each(EXAMPLES)("examples/plugins/$folder against `novakit plugin new $name --kind $kind`", ({ folder, name, kind }) => {
  const directory = join(EXAMPLE_PLUGINS_DIR, folder);
  const generated = scaffoldFiles(templateContextFor({ name, kind, directory }));
  const generatedText = (path: string): string => generated.find((file) => file.path === path)?.content ?? "";

  it("has every file the scaffold generates", () => {
    expect(generated.map((file) => file.path).filter((path) => !existsSync(join(directory, path)))).toEqual([]);
  });

  it.each(VERBATIM)("has the scaffold's %s, byte for byte", (path) => {
    expect(readFileSync(join(directory, path), "utf8")).toBe(generatedText(path));
  });

  it("has the scaffold's package.json shape (name, description and extra dev tools aside)", () => {
    const actual = JSON.parse(readFileSync(join(directory, "package.json"), "utf8")) as Manifest;
    const expected = JSON.parse(generatedText("package.json")) as Manifest;
    expect(Object.keys(actual)).toEqual(Object.keys(expected));
    const { description: _actualDescription, devDependencies: actualDev, ...actualRest } = actual;
    const { description: _expectedDescription, devDependencies: expectedDev, ...expectedRest } = expected;
    expect(actualRest).toEqual(expectedRest);
    // an example may need more dev tools (fast-check), never fewer or other versions
    expect(actualDev).toMatchObject(expectedDev ?? {});
  });

  it("defines the plugin in src/index.ts and its options schema in src/options.ts, as generated", () => {
    const index = readFileSync(join(directory, "src", "index.ts"), "utf8");
    const options = readFileSync(join(directory, "src", "options.ts"), "utf8");
    const { camel, pascal } = templateContextFor({ name, kind, directory }).name;
    expect(index).toContain(`definePlugin<${pascal}Options>({`);
    expect(index).toContain(`export default ${camel}Plugin;`);
    expect(options).toContain(`export const ${camel}OptionsSchema = `);
    expect(options).toContain(`export type ${pascal}Options = z.output<typeof ${camel}OptionsSchema>;`);
  });
});
