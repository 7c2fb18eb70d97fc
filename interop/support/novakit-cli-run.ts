import { runCli } from "@novakit/cli";

export interface CliRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one `novakit` command in-process, as a user would from `cwd` (no colours, no TTY). */
export async function novakit(cwd: string, argv: readonly string[]): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const status = await runCli(argv, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    cwd,
    env: { NO_COLOR: "1" },
    stdoutIsTty: false,
  });
  return { status, stdout, stderr };
}
