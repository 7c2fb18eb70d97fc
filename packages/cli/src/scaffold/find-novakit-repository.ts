import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The root of the Novakit repository that contains `directory`, or undefined when it lies
 * outside one. Inside, a generated package extends the repository's tsconfig.base.json and
 * vitest.shared.ts (so it resolves @novakit/kernel-core from source, like every package here);
 * outside, it gets standalone configurations. `directory` need not exist yet.
 */
export function findNovakitRepository(directory: string): string | undefined {
  let current = directory;
  for (;;) {
    if (isNovakitRepository(current)) return current;
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

function isNovakitRepository(directory: string): boolean {
  const kernelCoreManifest = join(directory, "packages", "kernel-core", "package.json");
  if (!existsSync(kernelCoreManifest)) return false;
  if (!existsSync(join(directory, "tsconfig.base.json")) || !existsSync(join(directory, "vitest.shared.ts"))) return false;
  try {
    return (JSON.parse(readFileSync(kernelCoreManifest, "utf8")) as { name?: unknown }).name === "@novakit/kernel-core";
  } catch {
    return false;
  }
}
