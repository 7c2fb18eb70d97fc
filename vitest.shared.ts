import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";

// CI (.ci/run) sets NOVAKIT_TEST_REPORT_DIR so that every package run by `npm test` also writes
// a JSON report there; .ci/run adds them up into its closing "N passed, N failed" line.
// Nx runs each package's test target with the package folder as working directory.
const reportDir = process.env["NOVAKIT_TEST_REPORT_DIR"];
const ciReporting = reportDir
  ? {
      reporters: ["default", "json"],
      outputFile: { json: join(reportDir, `${basename(process.cwd())}.json`) },
    }
  : {};

// Settings merged into every package's vitest config.
export const shared = defineProject({
  // ssr.resolve (not resolve): the node test environment reads only this. Listing conditions
  // replaces Vite's defaults, so they are repeated.
  ssr: { resolve: { conditions: ["@novakit/source", "module", "node", "development|production"] } },
  test: {
    setupFiles: ["reflect-metadata"],
    // Nx runs several packages' suites at once on small CI machines; a test that spawns the CLI
    // or loads a TypeScript config through tsx can take seconds there. No test asserts timing.
    testTimeout: 60_000,
    // raw worker_threads started by tests compile TypeScript with the root config
    env: { TSX_TSCONFIG_PATH: fileURLToPath(new URL("./tsconfig.json", import.meta.url)) },
    ...ciReporting,
  },
});
