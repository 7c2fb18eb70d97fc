import { createKernel, type BootResult, type NovakitKernel } from "@novakit/kernel-core";
import { discoverAndVerify, prepareConfiguration } from "../config/prepare-configuration.js";

/**
 * Loads, checks and boots a configuration (CONFIG, else novakit.config.* in `cwd`, else the
 * built-in default): what `boot` and `inspect` share. Refuses what `check` fails (unknown
 * workload, CPU not on the platform, ...) before booting.
 */
export async function bootConfiguration(
  cwd: string,
  named: string | undefined,
  seed: number | undefined,
): Promise<{ readonly kernel: NovakitKernel; readonly result: BootResult }> {
  const prepared = await prepareConfiguration(cwd, named);
  await discoverAndVerify(prepared);
  const kernel = createKernel({
    config: prepared.config,
    plugins: prepared.requests,
    configDir: prepared.source.dir,
    configFile: prepared.source.label,
    ...(seed === undefined ? {} : { seed }),
  });
  const result = await kernel.boot();
  return { kernel, result };
}
