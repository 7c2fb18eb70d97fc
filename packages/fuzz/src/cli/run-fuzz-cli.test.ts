import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { alwaysRejectsTarget, aThenBTarget } from "../test-support/synthetic-targets.js";
import type { VitestJsonReport } from "../report/vitest-json-report.js";
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, runFuzzCli } from "./run-fuzz-cli.js";

const temporary: string[] = [];
afterEach(() => {
  for (const directory of temporary.splice(0)) rmSync(directory, { recursive: true, force: true });
});
function temporaryDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), "novakit-fuzz-cli-"));
  temporary.push(directory);
  return directory;
}

async function run(argv: readonly string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const status = await runFuzzCli(argv, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) }, [alwaysRejectsTarget, aThenBTarget]);
  return { status, stdout, stderr };
}

describe("npm run fuzz: usage errors exit 2 with an NK-FUZ diagnostic", () => {
  const cases: readonly (readonly [string, readonly string[], string])[] = [
    ["an unknown option", ["--frobnicate"], "NK-FUZ-001"],
    ["an option without its value", ["--all", "--iterations"], "NK-FUZ-001"],
    ["an unknown target", ["--target", "nope"], "NK-FUZ-002"],
    ["a non-numeric iteration count", ["--all", "--iterations", "many"], "NK-FUZ-003"],
    ["zero iterations", ["--all", "--iterations", "0"], "NK-FUZ-003"],
    ["a seed above 2^32", ["--all", "--seed", "0x100000000"], "NK-FUZ-003"],
    ["negative seconds", ["--all", "--seconds", "-1"], "NK-FUZ-003"],
    ["no target", ["--iterations", "5"], "NK-FUZ-004"],
    ["--all with --target", ["--all", "--target", "synthetic-rejects"], "NK-FUZ-004"],
    ["--iterations with --seconds", ["--all", "--iterations", "5", "--seconds", "1"], "NK-FUZ-004"],
  ];
  for (const [what, argv, code] of cases) {
    it(what, async () => {
      const result = await run(argv);
      expect(result.status).toBe(EXIT_USAGE);
      expect(result.stderr).toContain(`[${code}]`);
      expect(result.stdout).toBe("");
    });
  }

  it("a --corpus that is not a directory", async () => {
    const result = await run(["--target", "synthetic-rejects", "--iterations", "5", "--corpus", join(temporaryDirectory(), "missing")]);
    expect(result.status).toBe(EXIT_USAGE);
    expect(result.stderr).toContain("[NK-FUZ-006]");
  });
});

describe("npm run fuzz", () => {
  it("--list names every target with its description", async () => {
    const result = await run(["--list"]);
    expect(result.status).toBe(EXIT_OK);
    expect(result.stdout).toBe("synthetic-rejects   test only: a NovakitError for every input\nsynthetic-a-then-b  test only: TypeError when the bytes contain A … B\n");
  });

  it("--help prints the usage", async () => {
    const result = await run(["--help"]);
    expect(result.status).toBe(EXIT_OK);
    expect(result.stdout).toContain("--target NAME");
  });

  it("exits 0 without findings and writes a vitest-JSON report with one passed test per target", async () => {
    const report = join(temporaryDirectory(), "reports", "fuzz.json");
    const result = await run(["--target", "synthetic-rejects", "--iterations", "50", "--seed", "0x10", "--report", report]);
    expect(result.status).toBe(EXIT_OK);
    expect(result.stdout).toMatch(/^synthetic-rejects: 50 iterations \(\+1 seeds\) at seed 16, 0 findings, \d+ exec\/s/);
    expect(result.stdout).toMatch(/outcomes \(\d distinct\): NK-TST-00\d \d+/);
    const json = JSON.parse(readFileSync(report, "utf8")) as VitestJsonReport;
    expect(json).toMatchObject({ numTotalTests: 1, numPassedTests: 1, numFailedTests: 0, numPendingTests: 0, success: true });
    expect(json.testResults[0]?.assertionResults[0]).toMatchObject({ status: "passed", failureMessages: [], meta: { target: "synthetic-rejects", iterations: 50, seed: 16 } });
  });

  it("exits 1 on a finding, saves the minimised input, and the report counts a failed test", async () => {
    const directory = temporaryDirectory();
    const report = join(directory, "fuzz.json");
    const regressions = join(directory, "regressions");
    const result = await run(["--all", "--iterations", "20", "--report", report, "--regressions", regressions]);
    expect(result.status).toBe(EXIT_FINDINGS);
    expect(result.stdout).toContain("FINDING TypeError");
    // named by the SHA-256 of the minimised input: SHA-256("AB") starts with 38164fbd17603d73
    expect(readdirSync(join(regressions, "synthetic-a-then-b")).sort()).toEqual(["38164fbd17603d73.bin", "38164fbd17603d73.txt"]);
    const json = JSON.parse(readFileSync(report, "utf8")) as VitestJsonReport;
    expect(json).toMatchObject({ numTotalTests: 2, numPassedTests: 1, numFailedTests: 1, success: false });
  });

  it("--no-save reports the finding without writing a fixture; --json prints machine-readable summaries", async () => {
    const result = await run(["--target", "synthetic-a-then-b", "--iterations", "10", "--no-save", "--json"]);
    expect(result.status).toBe(EXIT_FINDINGS);
    const summaries = JSON.parse(result.stdout) as { target: string; findings: { error: string; minimised: string; regression?: string }[] }[];
    expect(summaries[0]?.target).toBe("synthetic-a-then-b");
    expect(summaries[0]?.findings.map((finding) => [finding.error, Buffer.from(finding.minimised, "base64").toString(), finding.regression])).toEqual([["TypeError", "AB", undefined]]);
  });

  it("--corpus adds DIR/<target> to the seeds and saves the inputs that reached new outcomes there", async () => {
    const corpus = temporaryDirectory();
    mkdirSync(join(corpus, "synthetic-rejects"));
    writeFileSync(join(corpus, "synthetic-rejects", "extra"), Uint8Array.of(3, 3, 3, 3, 3, 3));
    const first = await run(["--target", "synthetic-rejects", "--iterations", "100", "--corpus", corpus]);
    expect(first.status).toBe(EXIT_OK);
    expect(first.stdout).toContain("(+2 seeds)");
    const saved = readdirSync(join(corpus, "synthetic-rejects"));
    expect(saved.length).toBeGreaterThan(1);
    const second = await run(["--target", "synthetic-rejects", "--iterations", "1", "--corpus", corpus]);
    expect(second.stdout).toContain(`(+${saved.length + 1} seeds)`);
  });
});
