/**
 * Everything a command touches of the outside world, passed in so that tests run commands
 * in-process (no spawning) and see exactly what a user would.
 */
export interface CliIo {
  /** write to standard output (the caller adds newlines) */
  stdout(text: string): void;
  /** write to standard error */
  stderr(text: string): void;
  /** directory relative paths and the config search start from */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** colours only go to a terminal */
  readonly stdoutIsTty: boolean;
}

/** The real process: what main.ts hands to runCli. */
export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    stdoutIsTty: process.stdout.isTTY === true,
  };
}
