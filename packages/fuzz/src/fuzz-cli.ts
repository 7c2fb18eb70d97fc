#!/usr/bin/env node
import "reflect-metadata";
import { runFuzzCli, type FuzzCliIo } from "./cli/run-fuzz-cli.js";

// Entry point of `npm run fuzz` (tsx with the @novakit/source condition; see README.md).
const terminal = process.stderr.isTTY === true;
const io: FuzzCliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  ...(terminal ? { progress: (line: string) => process.stderr.write(`\r\u001b[2K${line}`) } : {}),
};
process.exitCode = await runFuzzCli(process.argv.slice(2), io);
