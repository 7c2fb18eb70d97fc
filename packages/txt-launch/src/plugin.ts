import { definePlugin, NovakitError, type KernelServices, type NovakitPlugin } from "@novakit/kernel-core";
import { LaunchDiagnostic } from "./launch-diagnostics.js";
import { toHex } from "./measure/digests.js";
import { TXT_LAUNCH_PLUGIN_NAME } from "./measure/composed-image.js";
import { planLaunch } from "./measure/plan-launch.js";
import { launchBanks, runMeasuredLaunch, type MeasuredLaunchResult } from "./launch/run-measured-launch.js";
import { txtLaunchOptionsSchema, type TxtLaunchOptions } from "./plugin-options.js";
import { openTpm } from "./tpm/open-tpm.js";
import { LaunchInterruptedError } from "./launch/launch-interrupted-error.js";
import type { Tpm } from "./tpm/tpm.js";

export const TXT_LAUNCH_PLUGIN_VERSION = "0.1.0";

/** Hooks into one kernel's launch, for tests and tools. */
export interface TxtLaunchObserver {
  /** called once the launch finished and the TPM agreed with it */
  readonly onLaunch?: (result: MeasuredLaunchResult) => void;
  /** replaces the TPM the `tpm` option names (fault injection in tests) */
  readonly openTpm?: (location: string) => Tpm;
}

/**
 * The measured launch (DRTM) as a plugin: in the `launch` phase it opens the TPM the `tpm` option
 * names (the embedded TPM by default), plans the launch (Intel TXT or AMD SKINIT by CPU vendor or
 * the `method` option; the composed hypervisor and root images, or real ELF files), runs it
 * against the TPM (DRTM hash sequence, SINIT's PCR 17/18 extends, NOVA's PCR 19 extend), publishes
 * every measurement on the `measure` hook and checks the TPM's PCRs against the log's replay.
 */
export function createTxtLaunchPlugin(observer: TxtLaunchObserver = {}): NovakitPlugin<TxtLaunchOptions> {
  return definePlugin<TxtLaunchOptions>({
    name: TXT_LAUNCH_PLUGIN_NAME,
    version: TXT_LAUNCH_PLUGIN_VERSION,
    kind: "launch",
    description: "Measured launch: Intel TXT (SINIT ACM, MLE, TXT heap) and AMD SKINIT, TPM 2.0 (embedded or tcp://), TCG event log, PCR prediction",
    constraints: { arch: ["x86_64"], vendor: ["intel", "amd"] },
    options: txtLaunchOptionsSchema,
    register(context) {
      const name = context.pluginName;
      const options = context.options;
      // relative option paths (mle, root, acm, slb) are relative to the configuration's directory
      let configDir = ".";
      // what the launch measured, filed on the `report` hook for the boot result (this kernel's only)
      let figures: Record<string, string> | undefined;
      context.hooks.discover.tapPromise({ name, stage: -100 }, async (discover) => {
        configDir = discover.configDir;
      });
      context.hooks.launch.tapPromise(name, async (launch) => {
        if (launch.plugins === undefined) {
          throw new NovakitError(LaunchDiagnostic.NO_PLUGIN_LIST, "the kernel did not pass the resolved plugin list to the launch phase: the composed image cannot be measured", { field: "plugins" }, "use the kernel-core this plugin was built with");
        }
        const tpm = observer.openTpm
          ? observer.openTpm(options.tpm)
          : openTpm(options.tpm, {
              ...(options.tpmFailure !== undefined ? { embedded: { failure: options.tpmFailure } } : {}),
              ...(options.tpmTimeoutMs !== undefined ? { tcp: { timeoutMs: options.tpmTimeoutMs } } : {}),
            });
        try {
          const banks = await launchBanks(tpm);
          const plan = planLaunch({ config: launch.config, platform: launch.platform, plugins: launch.plugins, options, baseDir: configDir, banks });
          const kernel = launch.kernel;
          if (plan.txt) {
            kernel.log(`TXT: SINIT ACM ${plan.txt.acm.size} bytes (chipset ${plan.txt.acm.chipsets.map((c) => `${c.vendorId.toString(16)}:${c.deviceId.toString(16)}`).join(",")}), caps 0x${plan.txt.capabilities.toString(16)}, heap ${plan.txt.heapBytes.bytes.length} bytes`);
            kernel.log(`TXT: GETSEC[SENTER] MLE ${plan.mle.measured.length} bytes (${plan.hypervisorSource})`);
          } else {
            kernel.log(`SKINIT: secure loader measured, hypervisor ${plan.mle.measured.length} bytes (${plan.hypervisorSource})`);
          }
          let result: MeasuredLaunchResult;
          try {
            result = await runMeasuredLaunch(tpm, plan, (event) => launch.kernel.hooks.measure.call(event));
          } catch (error) {
            if (error instanceof LaunchInterruptedError) reportInterruptedLaunch(launch.kernel, error);
            throw error;
          }
          for (const bank of banks) {
            const values = result.pcrs.get(bank);
            kernel.log(`TPM: ${tpm.description} ${bank} PCR17 ${toHex(values?.get(17) ?? new Uint8Array(0)).slice(0, 16)}.. PCR18 ${toHex(values?.get(18) ?? new Uint8Array(0)).slice(0, 16)}.. PCR19 ${toHex(values?.get(19) ?? new Uint8Array(0)).slice(0, 16)}..`);
          }
          figures = { method: plan.txt ? "txt" : "skinit", tpm: tpm.description, hypervisor: plan.hypervisorSource };
          for (const bank of banks) {
            for (const pcr of [17, 18, 19]) figures[`${bank}.pcr${pcr}`] = toHex(result.pcrs.get(bank)?.get(pcr) ?? new Uint8Array(0));
          }
          observer.onLaunch?.(result);
        } finally {
          await tpm.close();
        }
      });
      context.hooks.report.tap(name, (collector) => {
        if (figures !== undefined) collector.file(name, figures);
      });
    },
  });
}

export const txtLaunchPlugin = createTxtLaunchPlugin();

/** The boot log and the `fault` hook say which measurements never reached the TPM, before the boot stops. */
function reportInterruptedLaunch(kernel: KernelServices, error: LaunchInterruptedError): void {
  kernel.log(`TPM: ${error.tpmDescription} failed during the measured launch (${error.tpmCode})`);
  for (const measurement of error.notExtended) kernel.log(`TPM: not extended: ${measurement}`);
  kernel.hooks.fault.call({ kind: "exception", timeNs: kernel.nowNs(), device: `tpm ${error.tpmDescription}`, detail: error.message });
}
