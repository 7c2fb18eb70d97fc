import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ARCHES } from "./config-arches.js";
import { exampleProject } from "./example-project.js";

/**
 * The GitHub Actions workflow users copy: examples/ci/github-actions.yml and the block in the
 * root README's "CI matrices" section must be the same text, and the text must be a workflow
 * that does what the section says. YAML is not a dependency here, so the checks are on lines.
 */
const WORKSPACE = fileURLToPath(new URL("../../../", import.meta.url));
const workflow = readFileSync(join(WORKSPACE, "examples/ci/github-actions.yml"), "utf8");
const readme = readFileSync(join(WORKSPACE, "README.md"), "utf8");

function ciSection(): string {
  const start = readme.indexOf("\n## CI matrices\n");
  expect(start).toBeGreaterThanOrEqual(0);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

/** The job names: the keys two spaces in under `jobs:`. */
function jobNames(): string[] {
  const body = workflow.slice(workflow.indexOf("\njobs:\n"));
  return [...body.matchAll(/^ {2}([A-Za-z0-9_-]+):\s*$/gm)].map((match) => match[1] ?? "");
}

describe("the CI workflow (examples/ci/github-actions.yml)", () => {
  it("is, byte for byte, the yaml block of the README's CI matrices section", () => {
    const blocks = [...ciSection().matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]);
    expect(blocks).toEqual([workflow]);
  });

  it("the README shows the per-arch Nx commands", () => {
    const section = ciSection();
    expect(section).toContain("npx nx run-many -t boot -c aarch64");
    expect(section).toContain("npx nx affected -t check boot -c x86_64");
  });

  it("is plain block YAML: no tabs, two-space indentation, balanced ${{ }} with no arithmetic inside", () => {
    for (const [index, line] of workflow.split("\n").entries()) {
      expect(line, `line ${index + 1}`).not.toMatch(/\t/);
      expect((/^ */.exec(line)?.[0].length ?? 0) % 2, `line ${index + 1} indentation`).toBe(0);
      expect(line.split("${{").length, `line ${index + 1}`).toBe(line.split("}}").length);
      // GitHub expressions have comparison and logic operators but no arithmetic
      for (const expression of line.matchAll(/\$\{\{([^}]*)\}\}/g)) expect(expression[1], `line ${index + 1}`).not.toMatch(/[+*/]/);
    }
  });

  it("a job per arch: the matrix lists the arches novakit knows, fetch-depth 0, Node 20, npm ci, nx affected with -c and the arch tag", () => {
    expect(workflow).toContain(`        arch: [${ARCHES.join(", ")}]\n`);
    expect(workflow).toMatch(/^ {10}fetch-depth: 0\b/m);
    expect(workflow).toMatch(/^ {10}node-version: 20$/m);
    expect(workflow).toMatch(/^ {6}- run: npm ci$/m);
    expect(workflow).toContain("npx nx affected -t check boot -c ${{ matrix.arch }}");
    expect(workflow).toContain("--base=origin/main~1");
    // the tag the exclusion keeps is the one the plugin gives an example for each arch it supports
    expect(workflow).toContain("--exclude='*,!tag:arch:${{ matrix.arch }}'");
    const project = exampleProject({ root: "examples/configs/x", arches: { arches: [...ARCHES], defaultArch: "x86_64" }, pluginProjects: [] });
    for (const arch of ARCHES) expect(project.tags).toContain(`arch:${arch}`);
  });

  it("a dynamic matrix from novakit matrix --format github, one shard per job, JUnit uploaded", () => {
    expect(workflow).toContain("npx novakit matrix --format github");
    expect(workflow).toContain("matrix: ${{ fromJSON(needs.matrix-plan.outputs.matrix) }}");
    expect(workflow).toContain('npx novakit matrix run --shard "$(( ${{ strategy.job-index }} + 1 ))/${{ strategy.job-total }}" --junit junit.xml');
    expect(workflow).toMatch(/- uses: actions\/upload-artifact@v4\n {8}if: always\(\)\n {8}with:\n {10}name: junit-\$\{\{ strategy\.job-index \}\}\n {10}path: junit\.xml\n/);
  });

  it("every job it needs exists, and every step list has a checkout and a setup-node", () => {
    const jobs = jobNames();
    expect(jobs).toEqual(["examples", "matrix-plan", "matrix-run"]);
    for (const match of workflow.matchAll(/^ {4}needs: (.+)$/gm)) expect(jobs).toContain(match[1]);
    expect(workflow.match(/- uses: actions\/checkout@v4/g)?.length).toBe(jobs.length);
    expect(workflow.match(/- uses: actions\/setup-node@v4/g)?.length).toBe(jobs.length);
  });
});
