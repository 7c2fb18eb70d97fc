import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BOOT_PHASES, createKernelHooks, PLUGIN_KIND_ORDER } from "@novakit/kernel-core";
import { describe, expect, it } from "vitest";

// Keeps docs/plugins.md complete: every hook, DI token, plugin kind, manifest field, context
// member and test-kit option in kernel-core's sources must be documented there, and every
// `docs/plugins.md#anchor` the scaffold and the example plugins point to must exist.
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const kernelCoreSrc = join(repoRoot, "packages", "kernel-core", "src");
const doc = readFileSync(join(repoRoot, "docs", "plugins.md"), "utf8");

/** The field names of `interface NAME { ... }` in a source file (one level, `readonly x?:` or `x(`). */
function interfaceMembers(file: string, name: string): string[] {
  const source = readFileSync(join(kernelCoreSrc, file), "utf8");
  const start = source.indexOf(`export interface ${name}`);
  if (start < 0) throw new Error(`interface ${name} not found in ${file}`);
  const body = source.slice(source.indexOf("{", start) + 1);
  const members: string[] = [];
  let depth = 0;
  for (const line of body.split("\n")) {
    if (depth === 0) {
      const match = /^\s{2}(?:readonly\s+)?([A-Za-z]\w*)\??\s*[:(<]/.exec(line);
      if (match) members.push(match[1]!);
      if (/^\}/.test(line)) break;
    }
    depth += (line.match(/[{(]/g) ?? []).length - (line.match(/[})]/g) ?? []).length;
    if (depth < 0) break;
  }
  return members;
}

/** GitHub's heading anchors: lowercase, punctuation dropped, spaces to hyphens. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const match of markdown.matchAll(/^#{1,6}\s+(.+)$/gm)) {
    anchors.add(match[1]!.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-"));
  }
  return anchors;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === "node_modules" || name === "dist" || name.startsWith(".")) return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith(".ts") ? [path] : [];
  });
}

describe("docs/plugins.md", () => {
  it("has a section for every hook in createKernelHooks()", () => {
    const hooks = Object.keys(createKernelHooks());
    expect(hooks.length).toBeGreaterThanOrEqual(20);
    expect(hooks.filter((hook) => !doc.includes(`\n### \`${hook}\`\n`))).toEqual([]);
  });

  it("lists the boot phases in BOOT_PHASES order", () => {
    const positions = BOOT_PHASES.map((phase) => doc.indexOf(`\n### \`${phase}\`\n`));
    expect(positions.every((position) => position > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it("has a row for every DI token in di/tokens.ts", () => {
    const source = readFileSync(join(kernelCoreSrc, "di", "tokens.ts"), "utf8");
    const tokens = [...source.matchAll(/export const ([A-Z_]+): InjectionToken/g)].map((match) => match[1]!);
    expect(tokens.length).toBeGreaterThanOrEqual(13);
    expect(tokens.filter((token) => !doc.includes(`| \`${token}\` |`))).toEqual([]);
  });

  it("has a row for every plugin kind, manifest field and PluginContext member", () => {
    const rows = [
      ...PLUGIN_KIND_ORDER,
      ...interfaceMembers("plugin/plugin-definition.ts", "NovakitPlugin"),
      ...interfaceMembers("plugin/plugin-definition.ts", "PluginContext"),
    ];
    expect(rows).toContain("register");
    expect(rows).toContain("registerWorkload");
    expect(rows.filter((row) => !doc.includes(`| \`${row}\` |`))).toEqual([]);
  });

  it("names every test-kit option", () => {
    const options = interfaceMembers("testkit/boot-test-kernel.ts", "TestKernelOptions");
    expect(options).toContain("plugins");
    const testKit = doc.slice(doc.indexOf("## The test kit"), doc.indexOf("## Stability policy"));
    expect(options.filter((option) => !testKit.includes(`\`${option}\``))).toEqual([]);
  });

  it("has every anchor the scaffold's templates and the example plugins link to", () => {
    const anchors = headingAnchors(doc);
    const files = [...sourceFiles(join(repoRoot, "packages", "cli", "src", "scaffold")), ...sourceFiles(join(repoRoot, "examples", "plugins"))];
    const linked = new Set(files.flatMap((file) => [...readFileSync(file, "utf8").matchAll(/docs\/plugins\.md#([a-z0-9-]+)/g)].map((match) => match[1]!)));
    expect(linked.size).toBeGreaterThan(5);
    expect([...linked].filter((anchor) => !anchors.has(anchor)).sort()).toEqual([]);
  });
});
