import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Starting and stopping a real swtpm for the interop suite, as swtpm-recipe.md §2 and §10 do it:
 * TPM 2.0, TCP data port on loopback and the control channel at the next port, a fresh temporary
 * state directory (four PCR banks), stopped by its PID (never by name).
 */
export const TPM_TOOLS_MISSING_MESSAGE =
  "swtpm and tpm2-tools are not installed or not on PATH: install the Debian packages swtpm, swtpm-tools and tpm2-tools " +
  "(`sudo apt-get install swtpm swtpm-tools tpm2-tools`); CI must install them before `npm run interop`";

/** The executables the TPM interop tests run, and the packages they come from. */
const TOOLS: readonly (readonly [string, readonly string[]])[] = [
  ["swtpm", ["--version"]],
  ["swtpm_ioctl", ["--help"]],
  ["tpm2_pcrread", ["--version"]],
];

/** The tools that are missing (empty when all are there). */
export function missingTpmTools(): string[] {
  return TOOLS.filter(([tool, args]) => {
    try {
      execFileSync(tool, args, { stdio: "ignore" });
      return false;
    } catch (error) {
      return typeof error === "object" && error !== null && "code" in error && (error as { code: unknown }).code === "ENOENT";
    }
  }).map(([tool]) => tool);
}

export interface SwtpmInstance {
  readonly port: number;
  readonly controlPort: number;
  readonly pid: number;
  readonly stateDirectory: string;
  /** TPM2TOOLS_TCTI value for tpm2-tools */
  readonly tcti: string;
  /** whether the process has exited */
  exited(): boolean;
  /** SIGTERM by PID, wait for the exit, remove the state directory */
  stop(): Promise<void>;
}

/** A port P such that P and P + 1 were both free a moment ago. */
async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await bindAndRelease(0);
    if (port < 65535 && (await bindAndRelease(port + 1)) === port + 1) return port;
  }
  throw new Error("no two consecutive free ports on 127.0.0.1");
}

function bindAndRelease(port: number): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(-1));
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      const bound = typeof address === "object" && address !== null ? address.port : -1;
      server.close(() => resolve(bound));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => {
      socket.destroy();
      resolve(false);
    });
    socket.connect(port, "127.0.0.1");
  });
}

/** kill(2) by PID; a process that is already gone is fine */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if (!(typeof error === "object" && error !== null && "code" in error && (error as { code: unknown }).code === "ESRCH")) throw error;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts swtpm. `flags` are swtpm's --flags (e.g. "not-need-init,startup-clear"); without them the
 * TPM waits for the control channel's INIT, then for TPM2_Startup.
 */
export async function startSwtpm(flags?: string): Promise<SwtpmInstance> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePortPair();
    const stateDirectory = mkdtempSync(join(tmpdir(), "novakit-swtpm-"));
    const args = [
      "socket",
      "--tpm2",
      "--server",
      `type=tcp,port=${port},bindaddr=127.0.0.1`,
      "--ctrl",
      `type=tcp,port=${port + 1},bindaddr=127.0.0.1`,
      "--tpmstate",
      `dir=${stateDirectory}`,
      "--log",
      `file=${join(stateDirectory, "swtpm.log")},level=2`,
      ...(flags === undefined ? [] : ["--flags", flags]),
    ];
    const child: ChildProcess = spawn("swtpm", args, { stdio: "ignore" });
    let exited = false;
    const exit = new Promise<void>((resolve) => {
      child.once("exit", () => {
        exited = true;
        resolve();
      });
      child.once("error", () => {
        exited = true;
        resolve();
      });
    });
    // both ports answer once swtpm is ready (the data port is opened last)
    for (let wait = 0; wait < 100 && !exited; wait++) {
      if ((await canConnect(port + 1)) && (await canConnect(port))) break;
      await sleep(50);
    }
    const pid = child.pid;
    if (!exited && pid !== undefined) {
      return {
        port,
        controlPort: port + 1,
        pid,
        stateDirectory,
        tcti: `swtpm:host=127.0.0.1,port=${port}`,
        exited: () => exited,
        stop: async () => {
          if (!exited) {
            signal(pid, "SIGTERM");
            await Promise.race([exit, sleep(5000)]);
            if (!exited) signal(pid, "SIGKILL");
            await exit;
          }
          rmSync(stateDirectory, { recursive: true, force: true });
        },
      };
    }
    // lost a race for the ports (or swtpm failed): say why if the log knows, then try again
    let log = "";
    try {
      log = readFileSync(join(stateDirectory, "swtpm.log"), "utf8").slice(-500);
    } catch {
      log = "";
    }
    rmSync(stateDirectory, { recursive: true, force: true });
    if (attempt === 4) throw new Error(`swtpm did not start on 127.0.0.1:${port}/${port + 1}${log ? `: ${log}` : ""}`);
  }
  throw new Error("unreachable");
}
