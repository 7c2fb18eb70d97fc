export { txtLaunchPlugin, createTxtLaunchPlugin, TXT_LAUNCH_PLUGIN_VERSION, type TxtLaunchObserver } from "./plugin.js";
export { txtLaunchOptionsSchema, type TxtLaunchOptions, type TxtLaunchOptionsInput } from "./plugin-options.js";
export { LaunchDiagnostic, type LaunchDiagnosticCode } from "./launch-diagnostics.js";

// ---- measured launch: plan, prediction, the run against a TPM ----
export { planLaunch, type LaunchPlan, type LaunchPlanInputs } from "./measure/plan-launch.js";
export { predictSteps, eventOfStep, type Prediction } from "./measure/predict-launch.js";
export { resolveLaunchMethod, type LaunchMethod, type LaunchMethodOption } from "./measure/launch-method.js";
export { hypervisorImageText, rootImageText, hypervisorElf, rootElf, TXT_LAUNCH_PLUGIN_NAME, type ImagePlugin } from "./measure/composed-image.js";
export type { LaunchStep, DrtmStep, ExtendStep } from "./measure/launch-step.js";
export { runMeasuredLaunch, launchBanks, measureEventOf, LAUNCH_PCRS, type MeasuredLaunchResult } from "./launch/run-measured-launch.js";
export { LaunchInterruptedError } from "./launch/launch-interrupted-error.js";
export { stepName } from "./launch/run-measured-launch.js";
export { launchMethodFindings } from "./launch/launch-method-findings.js";
export { digestsOf, extendPcr, toHex } from "./measure/digests.js";

// ---- TCG crypto-agile event log ----
export * from "./event-log/index.js";

// ---- Intel TXT structures, ELF ----
export * from "./txt/acm-header.js";
export * from "./txt/mle-header.js";
export { mleImageFromElf, type MleImage } from "./txt/mle-image.js";
export * from "./txt/txt-heap.js";
export * from "./txt/txt-config-space.js";
export { readElf64, type Elf64Image, type ElfProgramHeader } from "./elf/elf64.js";
export { rootMeasuredSegment } from "./elf/root-segment.js";
export { parseSecureLoader, novakitSecureLoader, type SecureLoaderImage } from "./skinit/secure-loader-block.js";

// ---- TPM 2.0: the interface, the embedded TPM, the TCP client, the wire codec ----
export * from "./tpm/index.js";
