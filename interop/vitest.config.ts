import { join } from "node:path";
import { defineConfig, mergeConfig } from "vitest/config";
import { shared } from "../vitest.shared.js";

// The interop suite checks Novakit's parsers and encoders against real tools (iasl, ...).
// A test whose tool is missing fails with a message naming the Debian package to install.
const reportDir = process.env["NOVAKIT_TEST_REPORT_DIR"];
export default mergeConfig(
  shared,
  defineConfig({
    test: {
      name: "interop",
      root: new URL(".", import.meta.url).pathname,
      include: ["**/*.test.ts"],
      testTimeout: 60_000,
      ...(reportDir ? { reporters: ["default", "json"], outputFile: { json: join(reportDir, "interop.json") } } : {}),
    },
  }),
);
