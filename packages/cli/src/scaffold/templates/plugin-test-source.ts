import { KIND_STARTERS } from "../kind-starters.js";
import { identifiers, type TemplateContext } from "../template-context.js";

/** A workload for exporter tests: a boot needs faults for a fault tap to fire. */
const CRASHING_WORKLOAD = `
/** A workload that computes a little, then throws: the kernel kills its EC and reports a fault. */
const crashAfterWork: WorkloadDefinition = {
  name: "crash-after-work",
  description: "computes 50 µs, then throws",
  async run(api) {
    await api.compute(50_000);
    throw new Error("deliberate failure");
  },
};
`;

/**
 * src/<short>.test.ts: boots a minimal kernel around the plugin with kernel-core's test kit and
 * asserts what the plugin's hook tap did, so it fails when the plugin is broken; checks the
 * `verbose` option and that the schema rejects a misspelt option.
 */
export function pluginTestSourceTemplate(context: TemplateContext): string {
  const ids = identifiers(context);
  const starter = KIND_STARTERS[context.kind];
  const crashing = starter.workload === "crash-after-work";
  const typeImports = ["type DomainConfig", "type TestKernelOptions", ...(crashing ? ["type WorkloadDefinition"] : [])].join(", ");
  const mount =
    starter.mount === "scheduler"
      ? "scheduler: " + ids.plugin + ", schedulerOptions: options"
      : "plugins: [{ plugin: " + ids.plugin + ", options }]";
  const domains =
    starter.mount === "scheduler"
      ? '[domain("first"), domain("second")]'
      : '[domain("work")]';
  return `import { describe, expect, it } from "vitest";
import { bootTestKernel, createTestKernel, NovakitError, ${typeImports} } from "@novakit/kernel-core";
import { ${ids.nameConstant}, ${ids.plugin} } from "./index.js";

// kernel-core's test kit boots a minimal kernel around the plugin: a synthetic 2-CPU platform,
// a test-only arch plugin and a test-only scheduler (docs/plugins.md#the-test-kit).
${crashing ? CRASHING_WORKLOAD : ""}
/** a native domain on CPU 0 running the ${starter.workload} workload */
function domain(name: string): DomainConfig {
  return { name, kind: "native", memoryMiB: 2, vcpus: 1, cpus: [0], priority: 10, budgetMs: 1, workload: ${JSON.stringify(starter.workload)} };
}

/** the kernel under test: the plugin with \`options\` (raw, as a configuration gives them) */
function kernelOptions(options: Record<string, unknown> = {}): TestKernelOptions {
  return { ${mount}, ${crashing ? "workloads: [crashAfterWork], " : ""}domains: ${domains}, durationMs: 5 };
}

describe(${JSON.stringify(`${context.name.full} in a booted kernel`)}, () => {
  it(${JSON.stringify(starter.testTitle)}, async () => {
    const { result } = await bootTestKernel(kernelOptions());
    expect(result.plugins.map((plugin) => plugin.name)).toContain(${ids.nameConstant});
    const report = result.pluginReports[${ids.nameConstant}];
${starter.assertionLines.join("\n")}
  });

  it("writes console lines only with \`verbose\`", async () => {
    const marker = \`\${${ids.nameConstant}}: \`;
    const quiet = await bootTestKernel(kernelOptions());
    const verbose = await bootTestKernel(kernelOptions({ verbose: true }));
    expect(quiet.result.log.filter((line) => line.includes(marker))).toEqual([]);
    expect(verbose.result.log.filter((line) => line.includes(marker)).length).toBeGreaterThan(0);
  });

  it("rejects a misspelt option with the kernel's options diagnostic", () => {
    let error: unknown;
    try {
      createTestKernel(kernelOptions({ verbos: true }));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(NovakitError);
    expect((error as NovakitError).code).toBe("NK-PLG-010");
  });
});
`;
}
