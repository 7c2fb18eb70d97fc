#!/usr/bin/env node
// The published entry point runs compiled JavaScript (dist/, built by the root `prepare` step of
// `npm ci`). In a checkout where dist/ has not been built yet it falls back to the TypeScript
// sources through tsx, so `npx novakit` never reaches for the registry.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const compiled = new URL("../dist/main.js", import.meta.url);
if (existsSync(fileURLToPath(compiled))) {
  await import(compiled.href);
} else {
  await import(new URL("./novakit-dev.js", import.meta.url).href);
}
