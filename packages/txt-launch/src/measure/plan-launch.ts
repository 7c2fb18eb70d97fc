import type { NovakitConfig, Platform } from "@novakit/kernel-core";
import { rootMeasuredSegment } from "../elf/root-segment.js";
import { parseSecureLoader, novakitSecureLoader } from "../skinit/secure-loader-block.js";
import { planSkinitLaunch } from "../skinit/plan-skinit-launch.js";
import type { HashAlgorithm } from "../tpm/tpm.js";
import { defaultTxtEnvironment, type TxtRegisterOverrides } from "../txt/default-txt-environment.js";
import { mleImageFromElf, type MleImage } from "../txt/mle-image.js";
import { novakitTestAcmPath } from "../txt/novakit-test-acm.js";
import { planTxtLaunch, type TxtLaunchPlan } from "../txt/plan-txt-launch.js";
import type { TxtLaunchOptions } from "../plugin-options.js";
import { hypervisorElf, hypervisorImageText, rootElf, rootImageText, type ImagePlugin } from "./composed-image.js";
import { readLaunchFile } from "./launch-inputs.js";
import { resolveLaunchMethod, type LaunchMethod } from "./launch-method.js";
import type { LaunchStep } from "./launch-step.js";
import { novaRootStep } from "./nova-root-step.js";

/** NOVA's load address when the platform names no kernel region (nova.md §8.2). */
const DEFAULT_NOVA_LOAD_ADDRESS = 0x40_0000n;

export interface LaunchPlanInputs {
  readonly config: NovakitConfig;
  readonly platform: Platform;
  /** the resolved plugins, in registration order */
  readonly plugins: readonly ImagePlugin[];
  readonly options: TxtLaunchOptions;
  /** directory the options' relative paths are relative to */
  readonly baseDir: string;
  /** the TPM's allocated banks (SHA-1/256/384/512 subset) */
  readonly banks: readonly HashAlgorithm[];
}

export interface LaunchPlan {
  readonly method: LaunchMethod;
  readonly banks: readonly HashAlgorithm[];
  /** what was measured as the hypervisor: "composed" or the --mle file */
  readonly hypervisorSource: string;
  readonly rootSource: string;
  readonly mle: MleImage;
  readonly rootSegment: Uint8Array;
  /** present for TXT: the ACM, heap and capabilities */
  readonly txt?: TxtLaunchPlan;
  readonly steps: readonly LaunchStep[];
}

/**
 * Everything a measured launch will measure, in order, without touching a TPM: the method (by
 * option and CPU vendor), the hypervisor (the composed image, or the real ELF of `options.mle`)
 * and root task (composed, or `options.root`), the TXT or SKINIT steps, and NOVA's PCR 19 step.
 * The launch runs this plan against a TPM; `novakit measure` runs it against a PCR model.
 */
export function planLaunch(inputs: LaunchPlanInputs): LaunchPlan {
  const { config, platform, options } = inputs;
  const method = resolveLaunchMethod(options.method, platform);
  const hypervisor = options.mle !== undefined ? readLaunchFile(options.mle, inputs.baseDir, "hypervisor ELF (--mle)") : undefined;
  const mle = hypervisor ? mleImageFromElf(hypervisor.bytes, hypervisor.path) : mleImageFromElf(hypervisorElf(hypervisorImageText(config, inputs.plugins)), "composed hypervisor image");
  const root = options.root !== undefined ? readLaunchFile(options.root, inputs.baseDir, "root task ELF (--root)") : undefined;
  const rootSegment = root ? rootMeasuredSegment(root.bytes, root.path) : rootMeasuredSegment(rootElf(rootImageText(config)), "composed root image");
  const kernelRegion = platform.memory.find((region) => region.kind === "kernel");
  let txt: TxtLaunchPlan | undefined;
  let drtmSteps: readonly LaunchStep[];
  if (method === "txt") {
    const acm = options.acm !== undefined ? readLaunchFile(options.acm, inputs.baseDir, "SINIT ACM") : readLaunchFile(novakitTestAcmPath(), inputs.baseDir, "SINIT ACM");
    const environment = defaultTxtEnvironment(platform, acm.bytes, acm.path, registerOverrides(options));
    txt = planTxtLaunch({ platform, environment, mle, banks: inputs.banks, novaLoadAddress: kernelRegion?.base ?? DEFAULT_NOVA_LOAD_ADDRESS });
    drtmSteps = txt.steps;
  } else {
    const loader = options.slb !== undefined ? readLaunchFile(options.slb, inputs.baseDir, "secure loader image") : undefined;
    const image = loader ? parseSecureLoader(loader.bytes, loader.path) : parseSecureLoader(novakitSecureLoader(), "Novakit secure loader");
    drtmSteps = planSkinitLaunch(platform, image, mle.measured);
  }
  return {
    method,
    banks: inputs.banks,
    hypervisorSource: hypervisor?.path ?? "composed",
    rootSource: root?.path ?? "composed",
    mle,
    rootSegment,
    ...(txt ? { txt } : {}),
    steps: [...drtmSteps, novaRootStep(rootSegment)],
  };
}

function registerOverrides(options: TxtLaunchOptions): TxtRegisterOverrides {
  const txt = options.txt ?? {};
  const asNumber = (value: number | string | undefined): number | undefined => (value === undefined ? undefined : Number(value));
  const asBigint = (value: number | string | undefined): bigint | undefined => (value === undefined ? undefined : BigInt(value));
  const overrides: { -readonly [K in keyof TxtRegisterOverrides]: TxtRegisterOverrides[K] } = {};
  const set = <K extends keyof TxtRegisterOverrides>(key: K, value: TxtRegisterOverrides[K] | undefined): void => {
    if (value !== undefined) overrides[key] = value;
  };
  set("sinitBase", asNumber(txt.sinitBase));
  set("sinitSize", asNumber(txt.sinitSize));
  set("heapBase", asNumber(txt.heapBase));
  set("heapSize", asNumber(txt.heapSize));
  set("dpr", asNumber(txt.dpr));
  set("errorCode", asNumber(txt.errorCode));
  set("didvid", asBigint(txt.didvid));
  set("platformId", asBigint(txt.platformId));
  set("publicKeyHash", txt.publicKeyHash !== undefined ? new Uint8Array(Buffer.from(txt.publicKeyHash, "hex")) : undefined);
  return overrides;
}
