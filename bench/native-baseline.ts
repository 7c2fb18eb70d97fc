import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { NovakitError } from "@novakit/kernel-core";

/** What bench/native/pt_bench prints, one JSON line per workload. */
export interface NativeFigures {
  /** workload name -> native operations per second */
  readonly opsPerSec: ReadonlyMap<string, number>;
  readonly bytesPerPage: number | undefined;
}

export type NativeBaseline = { readonly available: true; readonly figures: NativeFigures } | { readonly available: false; readonly note: string };

const BUILD_DIR = fileURLToPath(new URL("./native/build/", import.meta.url));
/**
 * Timed runs per workload, on both sides: the native program runs this many times and keeps each
 * workload's best figure, and the TypeScript workloads do the same (BEST_OF in their files).
 * On a shared 2-vCPU VM a single run of either side moved by up to 5x; the best of a few is the
 * figure least disturbed by the rest of the machine, for both alike.
 */
export const BEST_OF = 3;
/** the C programs under bench/native: pt_bench.c (page tables), iommu_walk.c (iommu.walk) */
export type NativeProgram = "pt_bench" | "iommu_walk";

/**
 * Build bench/native/<program>.c (pt_bench by default) with the system gcc (C11, -O2, pthreads) into bench/native/build/
 * and run it BEST_OF times, keeping each workload's highest operations per second. No gcc: the baseline is skipped with a note. A build or run failure is an error
 * (NK-BEN-002), not a silent skip: a broken baseline would make every ratio meaningless.
 */
export function runNativeBaseline(program: NativeProgram = "pt_bench"): NativeBaseline {
  const source = fileURLToPath(new URL(`./native/${program}.c`, import.meta.url));
  const binary = `${BUILD_DIR}${program}`;
  try {
    execFileSync("gcc", ["--version"], { stdio: "ignore" });
  } catch {
    return { available: false, note: "native baseline skipped: no gcc on PATH" };
  }
  mkdirSync(BUILD_DIR, { recursive: true });
  let output: string;
  try {
    execFileSync("gcc", ["-std=c11", "-O2", "-Wall", "-Wextra", "-pthread", "-o", binary, source], { stdio: ["ignore", "ignore", "pipe"] });
    output = "";
    for (let run = 0; run < BEST_OF; run++) output += execFileSync(binary, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer | string }).stderr?.toString() ?? String(error);
    throw new NovakitError("NK-BEN-002", `the native baseline ${program} failed: ${stderr.trim()}`, { file: source });
  }
  const opsPerSec = new Map<string, number>();
  let bytesPerPage: number | undefined;
  for (const line of output.split("\n")) {
    if (line.trim() === "") continue;
    const figure = JSON.parse(line) as { name?: unknown; opsPerSec?: unknown; bytesPerPage?: unknown };
    if (typeof figure.name !== "string") {
      throw new NovakitError("NK-BEN-003", `unexpected line from the native baseline: ${line}`, { file: binary, field: "name" });
    }
    if (typeof figure.opsPerSec === "number") opsPerSec.set(figure.name, Math.max(figure.opsPerSec, opsPerSec.get(figure.name) ?? 0));
    if (typeof figure.bytesPerPage === "number") bytesPerPage = figure.bytesPerPage;
  }
  return { available: true, figures: { opsPerSec, bytesPerPage } };
}
