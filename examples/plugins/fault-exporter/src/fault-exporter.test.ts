import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  createKernelHooks,
  NovakitError,
  type FaultEvent,
  type KernelServices,
  type PluginContext,
} from "@novakit/kernel-core";
import {
  createFaultExporterPlugin,
  faultEventToJsonLine,
  faultExporterOptionsSchema,
  faultExporterPlugin,
  MemoryFaultSink,
  type FaultExporterOptions,
} from "./index.js";

const dmaFault: FaultEvent = {
  kind: "dma",
  timeNs: 1500,
  cpu: 0,
  domain: "nic-driver",
  device: "0000:00:03.0",
  address: 0xdead_b000n,
  access: "write",
  detail: "IO_PAGE_FAULT: not present",
};
const cpFault: FaultEvent = { kind: "cp", timeNs: 2000, detail: "#CP near-ret mismatch" };

function register(plugin: typeof faultExporterPlugin, rawOptions: unknown) {
  const hooks = createKernelHooks();
  const context: PluginContext<FaultExporterOptions> = {
    pluginName: plugin.name,
    options: faultExporterOptionsSchema.parse(rawOptions),
    hooks,
    kernel: { hooks } as Partial<KernelServices> as KernelServices,
    registerWorkload: () => undefined,
  };
  plugin.register(context);
  return hooks;
}

function thrown(action: () => unknown): NovakitError {
  try {
    action();
  } catch (error) {
    if (error instanceof NovakitError) return error;
    throw error;
  }
  throw new Error("expected a NovakitError");
}

describe("faultEventToJsonLine", () => {
  it("writes every stable field in a fixed order, bigints as hex strings", () => {
    expect(faultEventToJsonLine(dmaFault, 0)).toBe(
      '{"sequence":0,"kind":"dma","timeNs":1500,"cpu":0,"domain":"nic-driver","device":"0000:00:03.0",' +
        '"address":"0xdeadb000","access":"write","detail":"IO_PAGE_FAULT: not present"}',
    );
  });

  it("writes absent fields as null so every line has the same keys", () => {
    const parsed = JSON.parse(faultEventToJsonLine(cpFault, 4)) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(["sequence", "kind", "timeNs", "cpu", "domain", "device", "address", "access", "detail"]);
    expect(parsed).toMatchObject({ sequence: 4, kind: "cp", cpu: null, address: null, detail: "#CP near-ret mismatch" });
  });

  it("keeps fields a newer kernel adds, after the stable ones, sorted", () => {
    const extended = { ...cpFault, zeta: 1n, alpha: "x" } as FaultEvent;
    const line = faultEventToJsonLine(extended, 0);
    expect(line.endsWith('"detail":"#CP near-ret mismatch","alpha":"x","zeta":"0x1"}')).toBe(true);
  });
});

describe("fault exporter with an in-memory sink", () => {
  it("exports each fault as one JSON line and flushes at shutdown", () => {
    const sink = new MemoryFaultSink();
    const hooks = register(createFaultExporterPlugin({ sink }), {});
    hooks.fault.call(dmaFault);
    hooks.fault.call(cpFault);
    expect(sink.lines).toEqual([]); // buffered until shutdown
    expect(sink.pendingCount).toBe(2);
    hooks.shutdown.call({ timeNs: 3000, reason: "duration reached" });
    expect(sink.isClosed).toBe(true);
    expect(sink.lines.map((line) => JSON.parse(line) as { sequence: number; kind: string })).toMatchObject([
      { sequence: 0, kind: "dma", address: "0xdeadb000" },
      { sequence: 1, kind: "cp" },
    ]);
  });

  it("names its taps after the plugin", () => {
    const hooks = register(createFaultExporterPlugin({ sink: new MemoryFaultSink() }), {});
    expect(hooks.fault.taps.map((tap) => tap.name)).toEqual(["novakit-plugin-fault-exporter"]);
    expect(hooks.shutdown.taps.map((tap) => tap.name)).toEqual(["novakit-plugin-fault-exporter"]);
  });

  it("numbers the faults of each kernel separately", () => {
    const first = new MemoryFaultSink();
    const second = new MemoryFaultSink();
    const hooksA = register(createFaultExporterPlugin({ sink: first }), {});
    const hooksB = register(createFaultExporterPlugin({ sink: second }), {});
    hooksA.fault.call(dmaFault);
    hooksA.fault.call(dmaFault);
    hooksB.fault.call(cpFault);
    hooksA.shutdown.call({ timeNs: 1, reason: "end" });
    hooksB.shutdown.call({ timeNs: 1, reason: "end" });
    expect(first.lines.map((line) => (JSON.parse(line) as { sequence: number }).sequence)).toEqual([0, 1]);
    expect(second.lines.map((line) => (JSON.parse(line) as { sequence: number }).sequence)).toEqual([0]);
  });
});

describe("fault exporter writing a file", () => {
  const directories: string[] = [];
  afterEach(() => {
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });
  const scratch = (): string => {
    const directory = mkdtempSync(join(tmpdir(), "novakit-fault-exporter-"));
    directories.push(directory);
    return directory;
  };

  it("writes the JSON lines to `path`, all of them by shutdown", async () => {
    const path = join(scratch(), "faults.jsonl");
    const hooks = register(faultExporterPlugin, { path, batchLines: 2 });
    await hooks.start.promise({} as never);
    for (let index = 0; index < 5; index++) hooks.fault.call({ ...dmaFault, timeNs: index });
    // two batches of two are out already; the fifth waits for shutdown
    expect(readFileSync(path, "utf8").split("\n").filter(Boolean)).toHaveLength(4);
    hooks.shutdown.call({ timeNs: 10, reason: "end" });
    const lines = readFileSync(path, "utf8").split("\n").filter(Boolean);
    expect(lines.map((line) => (JSON.parse(line) as { timeNs: number }).timeNs)).toEqual([0, 1, 2, 3, 4]);
  });

  it("leaves an existing log alone until a boot starts (check and compose only register)", async () => {
    const path = join(scratch(), "faults.jsonl");
    writeFileSync(path, "previous run\n");
    const hooks = register(faultExporterPlugin, { path });
    expect(readFileSync(path, "utf8")).toBe("previous run\n");
    await hooks.start.promise({} as never);
    expect(readFileSync(path, "utf8")).toBe("");
  });

  it("reports an unwritable path as NK-EXP-001 naming the path, when the boot starts", () => {
    const path = join(scratch(), "missing-directory", "faults.jsonl");
    const hooks = register(faultExporterPlugin, { path });
    const error = thrown(() => hooks.start.callAsync({} as never, (failure) => {
      if (failure) throw failure;
    }));
    expect(error.code).toBe("NK-EXP-001");
    expect(error.location.file).toBe(path);
    expect(error.message).toContain(path);
    expect(error.message).toContain("ENOENT");
  });

  it("reports a missing destination as NK-EXP-002", () => {
    expect(thrown(() => register(faultExporterPlugin, {})).code).toBe("NK-EXP-002");
  });

  it("rejects unknown or malformed options through its schema", () => {
    expect(faultExporterOptionsSchema.safeParse({ path: "" }).success).toBe(false);
    expect(faultExporterOptionsSchema.safeParse({ file: "x" }).success).toBe(false);
    expect(faultExporterOptionsSchema.parse(undefined)).toEqual({ batchLines: 256 });
  });
});
