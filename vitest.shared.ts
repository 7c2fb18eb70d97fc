import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";

// Settings merged into every package's vitest config.
export const shared = defineProject({
  // ssr.resolve (not resolve): the node test environment reads only this. Listing conditions
  // replaces Vite's defaults, so they are repeated.
  ssr: { resolve: { conditions: ["@novakit/source", "module", "node", "development|production"] } },
  test: {
    setupFiles: ["reflect-metadata"],
    // raw worker_threads started by tests compile TypeScript with the root config
    env: { TSX_TSCONFIG_PATH: fileURLToPath(new URL("./tsconfig.json", import.meta.url)) },
  },
});
