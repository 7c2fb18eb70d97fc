import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { NovakitConfig } from "../config/config-types.js";
import type { PluginRequest } from "../boot/kernel-api.js";
import { NovakitError } from "../errors/novakit-error.js";
import type { Platform } from "../platform/platform.js";
import { definePlugin, type NovakitPlugin } from "./plugin-definition.js";
import { checkPlatformConstraints, resolvePlugins } from "./resolve-plugins.js";

const config: NovakitConfig = { arch: "x86_64", platform: "test", domains: [] };

function plugin(overrides: Partial<NovakitPlugin<unknown>> & Pick<NovakitPlugin<unknown>, "name" | "kind">): NovakitPlugin<unknown> {
  return { version: "1.0.0", register: () => undefined, ...overrides };
}

const arch = plugin({ name: "@test/arch", kind: "arch", constraints: { arch: ["x86_64"] } });
const scheduler = definePlugin({
  name: "@test/scheduler",
  version: "2.0.0",
  kind: "scheduler",
  options: z.strictObject({ trace: z.boolean().default(false) }),
  register: () => undefined,
}) as NovakitPlugin<unknown>;

function requests(...plugins: NovakitPlugin<unknown>[]): PluginRequest[] {
  return plugins.map((p, index) => ({ plugin: p, source: `novakit.config.ts: plugins[${index}]` }));
}

function errorOf(action: () => unknown): NovakitError {
  try {
    action();
  } catch (error) {
    if (error instanceof NovakitError) return error;
    throw error;
  }
  throw new Error("expected a NovakitError");
}

describe("resolvePlugins", () => {
  it("orders by requires, then kind, then name, whatever the request order", () => {
    const iommu = plugin({ name: "@test/iommu", kind: "iommu" });
    const launch = plugin({ name: "@test/launch", kind: "launch", requires: ["@test/iommu"] });
    const exporterB = plugin({ name: "b-exporter", kind: "exporter" });
    const exporterA = plugin({ name: "a-exporter", kind: "exporter" });
    const expected = ["@test/arch", "@test/iommu", "@test/launch", "@test/scheduler", "a-exporter", "b-exporter"];
    const forward = resolvePlugins(requests(arch, iommu, launch, scheduler, exporterA, exporterB), config);
    const backward = resolvePlugins(requests(exporterB, exporterA, scheduler, launch, iommu, arch), config);
    expect(forward.map((r) => r.plugin.name)).toEqual(expected);
    expect(backward.map((r) => r.plugin.name)).toEqual(expected);
  });

  it("applies option defaults from the schema", () => {
    const [, resolved] = resolvePlugins(requests(arch, scheduler), config);
    expect(resolved?.options).toEqual({ trace: false });
  });

  it("names plugin and option path for bad options", () => {
    const error = errorOf(() =>
      resolvePlugins([...requests(arch), { plugin: scheduler, options: { trace: "yes" }, source: "novakit.config.ts: plugins[1]" }], config),
    );
    expect(error.code).toBe("NK-PLG-010");
    expect(error.location).toEqual({ file: "novakit.config.ts", field: "plugins[1].options.trace" });
    expect(error.message).toMatch(/^@test\/scheduler: options\.trace: .*expected boolean/);
  });

  it("rejects options for a plugin without a schema", () => {
    const error = errorOf(() => resolvePlugins([{ plugin: arch, options: { x: 1 }, source: "c.json: plugins[0]" }], config));
    expect(error.code).toBe("NK-PLG-012");
  });

  it.each([
    ["duplicate names", () => requests(arch, scheduler, scheduler), "NK-PLG-001", "plugins[2]"],
    ["a missing dependency", () => requests(arch, plugin({ name: "x", kind: "extension", requires: ["y"] })), "NK-PLG-002", "plugins[1]"],
    [
      "a conflict",
      () => requests(arch, plugin({ name: "x", kind: "extension", conflicts: ["@test/arch"] })),
      "NK-PLG-003",
      "plugins[1]",
    ],
    ["no arch plugin", () => requests(scheduler), "NK-PLG-004", "plugins"],
    ["two arch plugins", () => requests(arch, plugin({ name: "@test/arch2", kind: "arch" })), "NK-PLG-005", "plugins[1]"],
    [
      "two schedulers",
      () => requests(arch, scheduler, plugin({ name: "edf", kind: "scheduler" })),
      "NK-PLG-006",
      "plugins[2]",
    ],
    [
      "an arch mismatch",
      () => requests(arch, plugin({ name: "arm-only", kind: "extension", constraints: { arch: ["aarch64"] } })),
      "NK-PLG-007",
      "plugins[1]",
    ],
    [
      "a dependency cycle",
      () =>
        requests(arch, plugin({ name: "p", kind: "extension", requires: ["q"] }), plugin({ name: "q", kind: "extension", requires: ["p"] })),
      "NK-PLG-011",
      "plugins[1]",
    ],
  ])("rejects %s", (_what, makeRequests, code, field) => {
    const error = errorOf(() => resolvePlugins(makeRequests(), config));
    expect(error.code).toBe(code);
    expect(error.location.field).toBe(field);
  });
});

describe("checkPlatformConstraints", () => {
  const platform = {
    name: "test-platform",
    arch: "x86_64",
    cpu: { vendor: "amd", name: "Test EPYC", features: ["SVM", "NX"] },
  } as unknown as Platform;

  it("accepts matching vendor and features", () => {
    const resolved = resolvePlugins(
      requests(arch, plugin({ name: "amd", kind: "iommu", constraints: { vendor: ["amd"], cpuFeatures: ["SVM"] } })),
      config,
    );
    expect(() => checkPlatformConstraints(resolved, platform)).not.toThrow();
  });

  it("rejects a vendor mismatch", () => {
    const resolved = resolvePlugins(requests(arch, plugin({ name: "txt", kind: "launch", constraints: { vendor: ["intel"] } })), config);
    const error = errorOf(() => checkPlatformConstraints(resolved, platform));
    expect(error.code).toBe("NK-PLG-008");
    expect(error.message).toContain("amd CPU");
  });

  it("rejects a missing CPU feature", () => {
    const resolved = resolvePlugins(
      requests(arch, plugin({ name: "cet", kind: "security", constraints: { cpuFeatures: ["CET_SS", "CET_IBT"] } })),
      config,
    );
    const error = errorOf(() => checkPlatformConstraints(resolved, platform));
    expect(error.code).toBe("NK-PLG-009");
    expect(error.message).toContain("CET_SS, CET_IBT");
  });
});
