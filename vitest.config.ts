import { defineConfig } from "vitest/config";

// One-process alternative to `nx run-many -t test`.
export default defineConfig({ test: { projects: ["packages/*", "examples/plugins/*", "tools/*"] } });
