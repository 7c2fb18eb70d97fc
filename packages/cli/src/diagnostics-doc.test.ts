import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Keeps docs/diagnostics.md complete: every code the sources can raise must be documented.
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist") continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (name.endsWith(".ts") && !name.endsWith(".test.ts")) files.push(path);
  }
  return files;
}

describe("docs/diagnostics.md", () => {
  it("lists every diagnostic code used in the sources", () => {
    const documented = readFileSync(join(repoRoot, "docs/diagnostics.md"), "utf8");
    const used = new Set<string>();
    for (const file of [...sourceFiles(join(repoRoot, "packages")), ...sourceFiles(join(repoRoot, "examples")), ...sourceFiles(join(repoRoot, "bench"))]) {
      for (const match of readFileSync(file, "utf8").matchAll(/"(NK-[A-Z0-9]+-\d{3})"/g)) used.add(match[1]!);
    }
    expect(used.size).toBeGreaterThan(100);
    const missing = [...used].filter((code) => !documented.includes(`| ${code} |`)).sort();
    expect(missing).toEqual([]);
  });
});
