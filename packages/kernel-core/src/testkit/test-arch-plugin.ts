import type { NovakitPlugin } from "../plugin/plugin-definition.js";
import { definePlugin } from "../plugin/plugin-definition.js";
import { testingPageTableFormat } from "../memory/testing-format.js";
import type { Platform } from "../platform/platform.js";

export interface TestArchOptions {
  readonly platform: Platform;
  /** also register a guest-space format (VM domains); default false */
  readonly guestSpaces?: boolean;
  /** also register a DMA-space format; default false */
  readonly dmaSpaces?: boolean;
}

/**
 * TEST-ONLY architecture plugin: `discover` yields the given synthetic platform, `memory`
 * registers B's novakit-testing page-table format for host (and optionally guest/DMA) spaces.
 */
export function testArchPlugin(options: TestArchOptions): NovakitPlugin {
  return definePlugin({
    name: "@novakit/testkit-arch",
    version: "0.0.0-test",
    kind: "arch",
    constraints: { arch: [options.platform.arch] },
    description: "TEST ONLY: synthetic platform and the novakit-testing page-table format",
    register(context) {
      context.hooks.discover.tapPromise(context.pluginName, async (discover) => {
        discover.platform ??= options.platform;
      });
      context.hooks.memory.tapPromise(context.pluginName, async (memory) => {
        memory.registerFormat("HST", testingPageTableFormat);
        if (options.guestSpaces) memory.registerFormat("GST", testingPageTableFormat);
        if (options.dmaSpaces) memory.registerFormat("DMA", testingPageTableFormat);
      });
    },
  });
}
