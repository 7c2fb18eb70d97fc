import type { Platform } from "@novakit/kernel-core";
import { EXPECTED_VALUES_FORMAT, eventTypeName, LAUNCH_PCRS, planLaunch, predictSteps, toHex, type HashAlgorithm, type TxtLaunchOptions } from "@novakit/txt-launch";
import type { PreparedConfiguration } from "../config/prepare-configuration.js";
import type { JsonValue } from "../output/json-value.js";

/** What `measure` and `compose` show of a predicted launch. */
export interface LaunchPrediction {
  readonly method: "txt" | "skinit";
  readonly hypervisorSource: string;
  readonly rootSource: string;
  readonly hypervisorBytes: number;
  readonly rootBytes: number;
  /** the expected TCG event log */
  readonly log: Uint8Array;
  /** bank -> PCR ("17", "18", "19") -> hex */
  readonly pcrs: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly events: readonly {
    readonly number: number;
    readonly pcr: number;
    readonly type: number;
    readonly typeName: string;
    readonly description: string;
    readonly digests: Readonly<Record<string, string>>;
  }[];
}

/**
 * The measured launch of a configuration, predicted without booting: the plan the txt-launch
 * plugin would run and the PCR 17/18/19 values and event log it would produce.
 */
export function predictLaunch(prepared: PreparedConfiguration, platform: Platform, options: TxtLaunchOptions, banks: readonly HashAlgorithm[]): LaunchPrediction {
  const plugins = prepared.plugins.map((resolved) => ({ name: resolved.plugin.name, version: resolved.plugin.version, options: resolved.options }));
  const plan = planLaunch({ config: prepared.config, platform, plugins, options, baseDir: prepared.source.dir, banks: [...banks] });
  const prediction = predictSteps(plan.steps, [...banks]);
  const pcrs = Object.fromEntries(
    banks.map((bank) => [bank, Object.fromEntries(LAUNCH_PCRS.map((pcr) => [String(pcr), toHex(prediction.replay.pcrs.get(bank)?.get(pcr) ?? new Uint8Array(0))]))]),
  );
  const events = prediction.events.map((event, index) => ({
    number: index + 1,
    pcr: event.pcrIndex,
    type: event.eventType,
    typeName: eventTypeName(event.eventType),
    description: plan.steps[index]?.description ?? "",
    digests: Object.fromEntries([...event.digests].map(([bank, digest]) => [bank, toHex(digest)])),
  }));
  return {
    method: plan.method,
    hypervisorSource: plan.hypervisorSource,
    rootSource: plan.rootSource,
    hypervisorBytes: plan.mle.measured.length,
    rootBytes: plan.rootSegment.length,
    log: prediction.log,
    pcrs,
    events,
  };
}

/** The expected-values JSON (`measure --json`, compose's expected-pcrs.json; `verify-log --expected` reads it). */
export function expectedValuesJson(prediction: LaunchPrediction, config: string, platform: string, banks: readonly HashAlgorithm[]): JsonValue {
  return {
    format: EXPECTED_VALUES_FORMAT,
    config,
    platform,
    method: prediction.method,
    banks: [...banks],
    hypervisor: prediction.hypervisorSource,
    root: prediction.rootSource,
    pcrs: prediction.pcrs as JsonValue,
    events: prediction.events.map((event) => ({ ...event, digests: { ...event.digests } })),
  };
}
