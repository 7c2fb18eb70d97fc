import "reflect-metadata";
import { parseArgs } from "node:util";
import { archX86_64Plugin } from "@novakit/arch-x86_64";
import { prepareConfiguration } from "@novakit/cli";
import {
  bootTestKernel,
  createKernel,
  RootObjectSelector,
  type DomainConfig,
  type EcBody,
} from "@novakit/kernel-core";
import { schedulerPlugin } from "@novakit/scheduler";
import { result, type BenchFigure, type BenchResult } from "./bench-result.js";
import { IOMMU_WALK_BENCH, iommuWalkBench } from "./iommu-walk.js";
import { IOMMU_TRANSLATE_IOTLB_BENCH, iommuTranslateIotlbBench } from "./iommu-translate-iotlb.js";
import { IOMMU_ASSIGN_DEV_BENCH, iommuAssignDevBench } from "./iommu-assign-dev.js";
import { PAGE_TABLE_BENCHES, pageTableBenches } from "./page-tables.js";
import { MATRIX_ALL_BENCHES, matrixAllBench } from "./matrix-all.js";
import { CLI_HELP_BENCH, cliHelpBench } from "./cli-help.js";

/**
 * Novakit's benchmarks. Each prints one result: operations done, wall-clock seconds they took
 * and operations per second. `--json` prints one JSON object per line
 * `{name, ops, seconds, opsPerSec}` for tools (page-table benchmarks add `native` and `ratio`,
 * see page-tables.ts); the default is a table for people.
 *
 * It runs the compiled packages (dist/, the "default" export condition): what users run.
 * Timing uses the wall clock of the benchmark harness only; the kernel itself never reads it.
 */
/** ipc.roundtrip: ipc_call + ipc_reply between two domains on one CPU, the real x86_64 arch and NOVA scheduler. */
async function ipcRoundtrip(simulatedMs: number): Promise<BenchResult> {
  const domains: DomainConfig[] = [
    { name: "server", kind: "native", memoryMiB: 1, vcpus: 1, priority: 10, budgetMs: 10, workload: "ipc-server" },
    { name: "client", kind: "native", memoryMiB: 1, vcpus: 1, priority: 10, budgetMs: 10, workload: "ipc-client", workloadOptions: { server: "server" } },
  ];
  const kernel = createKernel({
    config: { name: "bench-ipc", arch: "x86_64", platform: "qemu-q35-amd-iommu", domains, durationMs: simulatedMs },
    plugins: [
      { plugin: archX86_64Plugin, source: "bench" },
      { plugin: schedulerPlugin, source: "bench" },
    ],
    configDir: ".",
  });
  const start = process.hrtime.bigint();
  const boot = await kernel.boot();
  const elapsed = process.hrtime.bigint() - start;
  const client = boot.domains.find((domain) => domain.name === "client");
  const roundTrips = Number(client?.results["roundTrips"] ?? 0);
  if (roundTrips === 0) throw new Error("ipc.roundtrip: the client made no round trip");
  return result("ipc.roundtrip", roundTrips, elapsed, `${simulatedMs} simulated ms, includes boot`);
}

/** ctrl_pd.delegate: the root task copies a capability (order 0, full mask) within its object space. */
async function ctrlPdDelegate(count: number): Promise<BenchResult> {
  let elapsed = 0n;
  let failures = 0;
  const rootTask: EcBody = async (api) => {
    const space = RootObjectSelector.ROOT_OBJ;
    const start = process.hrtime.bigint();
    for (let i = 0; i < count; i++) {
      const destination = 0x1000 + (i % 4096);
      const outcome = await api.ctrlPd(space, space, { sourceBase: RootObjectSelector.ROOT_PD, destinationBase: destination, order: 0, permissionMask: 0x1f });
      if (outcome.status !== 0) failures++;
    }
    elapsed = process.hrtime.bigint() - start;
  };
  await bootTestKernel({ rootTask, durationMs: 100_000 });
  if (failures > 0) throw new Error(`ctrl_pd.delegate: ${failures} delegations failed`);
  return result("ctrl_pd.delegate", count, elapsed, "OBJ->OBJ, order 0, overwriting");
}

/** boot.default: compose and boot the built-in default configuration (what `npm start` does). */
async function bootDefault(boots: number): Promise<BenchResult> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < boots; i++) {
    const prepared = await prepareConfiguration(process.cwd(), undefined);
    const kernel = createKernel({ config: prepared.config, plugins: prepared.requests, configDir: prepared.source.dir });
    await kernel.boot();
  }
  const durationMs = (await prepareConfiguration(process.cwd(), undefined)).config.durationMs;
  return result("boot.default", boots, process.hrtime.bigint() - start, `${durationMs} simulated ms each`);
}

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    quick: { type: "boolean", default: false },
    only: { type: "string" },
  },
});
const scale = values.quick ? 0.1 : 1;
const benches: Record<string, () => Promise<BenchResult | BenchFigure>> = {
  "ipc.roundtrip": () => ipcRoundtrip(Math.max(10, Math.round(200 * scale))),
  "ctrl_pd.delegate": () => ctrlPdDelegate(Math.max(1000, Math.round(100_000 * scale))),
  "boot.default": () => bootDefault(Math.max(1, Math.round(5 * scale))),
  // fixed size (N = 2^20 pages, bench/README.md): --quick does not shrink them
  ...pageTableBenches(),
  // fixed size too (M = 2^16 pages, T = 2^22 walks, bench/iommu-walk.ts)
  [IOMMU_WALK_BENCH]: iommuWalkBench,
  // the same workload through AmdIommu.translate with the IOTLB (bench/iommu-translate-iotlb.ts)
  [IOMMU_TRANSLATE_IOTLB_BENCH]: iommuTranslateIotlbBench,
  [IOMMU_ASSIGN_DEV_BENCH]: () => iommuAssignDevBench(Math.max(1000, Math.round(20_000 * scale))),
  // every valid built-in combination, booted as `novakit matrix run` does (bench/matrix-all.ts)
  "matrix.all.jobs1": () => matrixAllBench(1),
  "matrix.all.jobs2": () => matrixAllBench(2),
  // `novakit --help` spawned one process at a time (bench/cli-help.ts)
  [CLI_HELP_BENCH]: () => cliHelpBench(Math.max(5, Math.round(20 * scale))),
};
// `--only pt` selects every page-table benchmark, `--only matrix.all` both matrix runs
const selected = values.only
  ? values.only.split(",").flatMap((name) => (name === "pt" ? [...PAGE_TABLE_BENCHES] : name === "matrix.all" ? [...MATRIX_ALL_BENCHES] : [name]))
  : Object.keys(benches);
for (const name of selected) {
  const run = benches[name];
  if (!run) {
    process.stderr.write(`bench: unknown benchmark "${name}" (known: ${Object.keys(benches).join(", ")})\n`);
    process.exit(2);
  }
  const outcome = await run();
  if (values.json) process.stdout.write(`${JSON.stringify(outcome)}\n`);
  else process.stdout.write(`${formatRow(outcome)}\n`);
}

function isRate(outcome: BenchResult | BenchFigure): outcome is BenchResult {
  return typeof outcome["ops"] === "number" && typeof outcome["opsPerSec"] === "number";
}

function formatRow(outcome: BenchResult | BenchFigure): string {
  if (!isRate(outcome)) {
    const { name, ...figures } = outcome;
    return `${name.padEnd(20)} ${JSON.stringify(figures)}`;
  }
  const native = outcome.native ? ` native ${outcome.native.opsPerSec} ops/s, ratio ${outcome.ratio}` : "";
  return `${outcome.name.padEnd(20)} ${String(outcome.ops).padStart(9)} ops ${outcome.seconds.toFixed(3).padStart(9)} s ${String(outcome.opsPerSec).padStart(10)} ops/s ${native} ${outcome.note ?? ""}`;
}
