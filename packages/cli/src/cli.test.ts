import { describe, expect, it } from "vitest";
import { COMMANDS, runCli } from "./cli.js";
import type { CliIo } from "./io/cli-io.js";

function captureIo(): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
    cwd: process.cwd(),
    env: {},
    stdoutIsTty: false,
  };
  return { io, out, err };
}

describe("the command catalog", () => {
  it("names each lazily loaded command with the name and summary the command itself has", async () => {
    for (const entry of COMMANDS) {
      const command = await entry.load();
      expect(command.name).toBe(entry.name);
      expect(command.summary).toBe(entry.summary);
    }
    expect(new Set(COMMANDS.map((entry) => entry.name)).size).toBe(COMMANDS.length);
  });

  it("lists every command in the global help", async () => {
    const { io, out } = captureIo();
    expect(await runCli(["--help"], io)).toBe(0);
    for (const entry of COMMANDS) expect(out.join("")).toContain(`  ${entry.name}`);
  });

  it("reports an unknown command as NK-CLI-001 with status 2", async () => {
    const { io, err } = captureIo();
    expect(await runCli(["bogus"], io)).toBe(2);
    expect(err.join("")).toContain("NK-CLI-001");
    expect(err.join("")).toContain("verify-log");
  });
});
