import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scaffoldKinds } from "./scaffold-kind.js";
import { scaffoldPlugin } from "./scaffold-plugin.js";

// The scaffold's promise: the generated package typechecks and its test passes as generated,
// and that test fails when the plugin is broken. Checked with the real tools in child processes;
// the four runs start together in beforeAll (each compiles kernel-core's sources, which is what
// takes the time) and each test awaits its own.
const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const TSC = join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
const VITEST = join(REPO_ROOT, "node_modules", "vitest", "vitest.mjs");
const SLOW = 300_000;
/** an extension package whose objectCreated tap no longer counts: its generated test must fail */
const BROKEN = "broken";
/** a line of the generated extension plugin; without it the plugin reports nothing it saw */
const COUNTING_LINE = "      objectsCreated++;\n";

interface ToolRun {
  readonly status: number;
  readonly output: string;
}

/** A child node process with the outer vitest's worker variables removed, so the inner run is a fresh one. */
function runTool(cwd: string, args: readonly string[]): Promise<ToolRun> {
  const env: Record<string, string> = { NO_COLOR: "1" };
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith("VITEST") && key !== "NODE_OPTIONS" && key !== "FORCE_COLOR") env[key] = value;
  }
  return new Promise((resolve) => {
    execFile(process.execPath, [...args], { cwd, env, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      const status = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
      resolve({ status, output: `${stdout}${stderr}` });
    });
  });
}

/**
 * <repository>/.scaffold-test-*: inside the repository (so @novakit/kernel-core resolves from the
 * root node_modules and the configurations extend the repository's), but matched by none of the
 * workspace, tsconfig or vitest globs (vitest's `examples/plugins/*` matches dot folders too), so
 * a concurrent run of the whole repository never picks the temporary packages up. One package
 * per kind, plus a broken one.
 */
async function scaffoldInside(): Promise<string> {
  const parent = await mkdtemp(join(REPO_ROOT, ".scaffold-test-"));
  for (const kind of scaffoldKinds()) await scaffoldPlugin({ name: `novakit-plugin-scaffold-${kind}`, kind, directory: join(parent, kind) });
  await scaffoldPlugin({ name: `novakit-plugin-scaffold-${BROKEN}`, kind: "extension", directory: join(parent, BROKEN) });
  const index = join(parent, BROKEN, "src", "index.ts");
  const source = await readFile(index, "utf8");
  if (!source.includes(COUNTING_LINE)) throw new Error(`the extension template no longer has ${JSON.stringify(COUNTING_LINE)}`);
  await writeFile(index, source.replace(COUNTING_LINE, ""));
  // One tsc program for all packages (each tsc run compiles kernel-core's sources again): a config
  // that extends the extension package's generated tsconfig.json, so its options are the ones
  // checked; the packages' tsconfig.json files are identical (asserted below).
  await writeFile(join(parent, "tsconfig.json"), JSON.stringify({ extends: "./extension/tsconfig.json", include: ["*/src/**/*.ts", "*/vitest.config.ts"] }));
  // one vitest process, each package a project with its own generated vitest.config.ts
  const projects = [...scaffoldKinds(), BROKEN].map((name) => `./${name}`);
  await writeFile(join(parent, "vitest.config.ts"), `export default { test: { projects: ${JSON.stringify(projects)} } };\n`);
  return parent;
}

/**
 * An OS temp dir whose node_modules links the repository's, as `npm install` would provide
 * @novakit/kernel-core, zod and the tools. The generated configurations stand alone; kernel-core
 * is read from its sources here through the tools' condition flags, because its dist/ may be
 * stale in a working tree.
 */
async function scaffoldOutside(): Promise<string> {
  const projectDir = await mkdtemp(join(tmpdir(), "novakit-scaffold-"));
  const packageDir = join(projectDir, "novakit-plugin-outside");
  await scaffoldPlugin({ name: "@acme/novakit-plugin-outside", kind: "exporter", directory: packageDir });
  await symlink(join(REPO_ROOT, "node_modules"), join(packageDir, "node_modules"), "dir");
  await symlink(join(REPO_ROOT, "node_modules"), join(projectDir, "node_modules"), "dir");
  await writeFile(
    join(projectDir, "with-source-condition.config.ts"),
    `import { mergeConfig } from "vitest/config";
import generated from "./novakit-plugin-outside/vitest.config.ts";
export default mergeConfig(generated, {
  root: "./novakit-plugin-outside",
  ssr: { resolve: { conditions: ["@novakit/source", "module", "node", "development|production"] } },
});
`,
  );
  return projectDir;
}

describe("a generated plugin package", () => {
  let inside = "";
  let outside = "";
  let insideTypecheck: Promise<ToolRun>;
  let insideTests: Promise<ToolRun>;
  let outsideTypecheck: Promise<ToolRun>;
  let outsideTests: Promise<ToolRun>;

  beforeAll(async () => {
    inside = await scaffoldInside();
    outside = await scaffoldOutside();
    insideTypecheck = runTool(inside, [TSC, "-p", "tsconfig.json", "--noEmit"]);
    insideTests = runTool(inside, [VITEST, "run"]);
    // kernel-core's sources carry tsyringe's parameter decorators, hence the decorator flag
    outsideTypecheck = runTool(join(outside, "novakit-plugin-outside"), [TSC, "-p", "tsconfig.json", "--noEmit", "--customConditions", "@novakit/source", "--experimentalDecorators"]);
    outsideTests = runTool(outside, [VITEST, "run", "--config", "with-source-condition.config.ts"]);
  }, SLOW);
  afterAll(async () => {
    await Promise.allSettled([insideTypecheck, insideTests, outsideTypecheck, outsideTests]);
    if (inside !== "") await rm(inside, { recursive: true, force: true });
    if (outside !== "") await rm(outside, { recursive: true, force: true });
  }, SLOW);

  it(
    "inside the repository: typechecks with its tsconfig.json, every kind",
    async () => {
      const configs = await Promise.all([...scaffoldKinds(), BROKEN].map((name) => readFile(join(inside, name, "tsconfig.json"), "utf8")));
      expect(new Set(configs).size).toBe(1);
      const run = await insideTypecheck;
      expect(run.output).toBe("");
      expect(run.status).toBe(0);
    },
    SLOW,
  );

  it(
    "inside the repository: passes its generated test, every kind; the broken plugin's test fails",
    async () => {
      const run = await insideTests;
      const total = 3 * (scaffoldKinds().length + 1);
      expect(run.output).toMatch(new RegExp(`Tests\\s+1 failed \\| ${total - 1} passed \\(${total}\\)`));
      expect(run.output).toMatch(/FAIL\s+\|novakit-plugin-scaffold-broken\| src\/scaffold-broken\.test\.ts > .* > counts the objects the kernel creates/);
      expect(run.status).not.toBe(0);
    },
    SLOW,
  );

  it("outside the repository: the configurations do not refer to it", async () => {
    for (const file of ["tsconfig.json", "tsconfig.build.json", "vitest.config.ts"]) {
      const text = await readFile(join(outside, "novakit-plugin-outside", file), "utf8");
      expect(text).not.toContain("..");
      expect(text).not.toContain("vitest.shared");
    }
  });

  it(
    "outside the repository: typechecks and passes its generated test",
    async () => {
      const [checked, tested] = await Promise.all([outsideTypecheck, outsideTests]);
      expect(checked.output).toBe("");
      expect(checked.status).toBe(0);
      expect(tested.output).toMatch(/Tests\s+3 passed \(3\)/);
      expect(tested.status).toBe(0);
    },
    SLOW,
  );
});
