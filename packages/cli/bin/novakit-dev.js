#!/usr/bin/env node
// Development entry point: runs the CLI from the TypeScript sources of every workspace package
// (the "@novakit/source" export condition) through tsx, from any working directory.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const rootTsconfig = fileURLToPath(new URL("../../../tsconfig.json", import.meta.url));
const main = fileURLToPath(new URL("../src/main.ts", import.meta.url));
const tsx = import.meta.resolve("tsx");
const result = spawnSync(
  process.execPath,
  ["--conditions=@novakit/source", "--import", tsx, main, ...process.argv.slice(2)],
  { stdio: "inherit", env: { ...process.env, TSX_TSCONFIG_PATH: rootTsconfig } },
);
process.exit(result.status ?? 1);
