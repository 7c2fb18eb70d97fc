#!/usr/bin/env node
import "reflect-metadata";
import { runCli } from "./cli.js";
import { processIo } from "./io/cli-io.js";

process.exitCode = await runCli(process.argv.slice(2), processIo());
