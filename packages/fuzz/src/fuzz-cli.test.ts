import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const REPOSITORY = fileURLToPath(new URL("../../../", import.meta.url));
const TSX = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));

/** The entry point as the root script runs it: `tsx --conditions=@novakit/source packages/fuzz/src/fuzz-cli.ts`. */
function fuzz(...argv: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(TSX, ["--conditions=@novakit/source", "packages/fuzz/src/fuzz-cli.ts", ...argv], { cwd: REPOSITORY, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("packages/fuzz/src/fuzz-cli.ts under tsx from the sources", () => {
  // one spawn only (starting tsx over every package's sources takes seconds); the exit statuses
  // of usage errors and findings are tested in-process in cli/run-fuzz-cli.test.ts
  it("fuzzes a target and exits 0", () => {
    const result = fuzz("--target", "tcg-event-log", "--iterations", "30", "--seed", "5", "--no-save");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^tcg-event-log: 30 iterations \(\+\d+ seeds\) at seed 5, 0 findings/);
    expect(result.stdout).toContain("fuzz: 1 target(s), 30 iterations, 0 finding(s)");
  });
});
