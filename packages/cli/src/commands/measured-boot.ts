import { createKernel, type Arch, type BootResult, type MeasureEvent } from "@novakit/kernel-core";
import { encodeEventLog, HASH_ALGORITHMS, specIdFor, type HashAlgorithm, type TcgPcrEvent2 } from "@novakit/txt-launch";
import { discoverAndVerify, prepareConfiguration } from "../config/prepare-configuration.js";
import { launchPluginOf, requestsWithLaunchOptions } from "./measured-launch-support.js";

export interface MeasuredBoot {
  readonly result: BootResult;
  /** the measurements the launch published, in order (empty without a measured launch) */
  readonly measurements: readonly MeasureEvent[];
  /** the TCG crypto-agile event log of the launch, when there was one */
  readonly eventLog?: Uint8Array;
}

/**
 * `boot` with the measured launch observed: the same steps as bootConfiguration (load, check,
 * create, boot), with the launch plugin's `tpm` option set from --tpm, and the `measure` hook
 * recorded so the event log can be written next to the result.
 */
export async function bootMeasured(cwd: string, named: string | undefined, seed: number | undefined, tpm: string | undefined, arch?: Arch): Promise<MeasuredBoot> {
  const prepared = await prepareConfiguration(cwd, named, arch);
  if (tpm !== undefined) launchPluginOf(prepared, "boot --tpm");
  await discoverAndVerify(prepared);
  const kernel = createKernel({
    config: prepared.config,
    plugins: tpm === undefined ? prepared.requests : requestsWithLaunchOptions(prepared.requests, { tpm }),
    configDir: prepared.source.dir,
    configFile: prepared.source.label,
    ...(seed === undefined ? {} : { seed }),
  });
  const measurements: MeasureEvent[] = [];
  kernel.services.hooks.measure.tap("novakit-cli", (event) => measurements.push(event));
  const result = await kernel.boot();
  const eventLog = eventLogOf(measurements);
  return { result, measurements, ...(eventLog ? { eventLog } : {}) };
}

/** The log the launch wrote, rebuilt from the measure-hook records (each carries its type, data and digests). */
function eventLogOf(measurements: readonly MeasureEvent[]): Uint8Array | undefined {
  const records = measurements.filter((event) => event.eventType !== undefined && event.eventData !== undefined);
  const first = records[0];
  if (first === undefined) return undefined;
  const banks: HashAlgorithm[] = HASH_ALGORITHMS.filter((bank) => first.digests[bank] !== undefined);
  const events: TcgPcrEvent2[] = records.map((event) => ({
    pcrIndex: event.pcr,
    eventType: event.eventType as number,
    digests: new Map(banks.map((bank) => [bank, new Uint8Array(Buffer.from(event.digests[bank] ?? "", "hex"))])),
    event: event.eventData as Uint8Array,
  }));
  return encodeEventLog({ header: specIdFor(banks), events });
}
