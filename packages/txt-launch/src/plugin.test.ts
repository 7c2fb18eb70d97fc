import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { bootTestKernel, definePlugin, isNovakitError, NovakitError, type MeasureEvent, type NovakitPlugin } from "@novakit/kernel-core";
import { EventType } from "./event-log/event-types.js";
import type { MeasuredLaunchResult } from "./launch/run-measured-launch.js";
import { toHex } from "./measure/digests.js";
import { createTxtLaunchPlugin, txtLaunchPlugin } from "./plugin.js";
import { skinitTestPlatform, txtTestPlatform } from "./test-support/txt-test-platform.js";
import { EmbeddedTpm } from "./tpm/embedded/embedded-tpm.js";
import type { Tpm } from "./tpm/tpm.js";

async function launch(platform = txtTestPlatform(), options: Record<string, unknown> = {}, openTpm?: (location: string) => Tpm) {
  let result: MeasuredLaunchResult | undefined;
  const plugin = createTxtLaunchPlugin({ onLaunch: (launched) => (result = launched), ...(openTpm ? { openTpm } : {}) });
  const { result: boot } = await bootTestKernel({ platform, plugins: [{ plugin, options }], durationMs: 1 });
  return { result: result as MeasuredLaunchResult, boot };
}

describe("@novakit/txt-launch plugin", () => {
  it("declares itself as the launch plugin for x86_64 Intel and AMD", () => {
    expect(txtLaunchPlugin.name).toBe("@novakit/txt-launch");
    expect(txtLaunchPlugin.kind).toBe("launch");
    expect(txtLaunchPlugin.constraints?.vendor).toEqual(["intel", "amd"]);
  });

  it("runs Intel TXT on an SMX platform: PCR 17/18 by SINIT, PCR 19 by NOVA, the TPM agreeing with the log", async () => {
    const { result, boot } = await launch();
    expect(result.plan.method).toBe("txt");
    expect(result.plan.banks).toEqual(["sha1", "sha256", "sha384", "sha512"]);
    const types = result.prediction.events.map((event) => [event.pcrIndex, event.eventType]);
    expect(types).toEqual([
      [17, EventType.EVTYPE_HASH_START],
      [17, EventType.EVTYPE_BIOSAC_REG_DATA],
      [17, EventType.EVTYPE_CPU_SCRTM_STAT],
      [17, EventType.EVTYPE_LCP_CONTROL_HASH],
      [17, EventType.EVTYPE_LCP_DETAILS_HASH],
      [17, EventType.EVTYPE_STM_HASH],
      [17, EventType.EVTYPE_OSSINITDATA_CAP_HASH],
      [17, EventType.EVTYPE_MLE_HASH],
      [18, EventType.EVTYPE_SINIT_PUBKEY_HASH],
      [18, EventType.EVTYPE_CPU_SCRTM_STAT],
      [18, EventType.EVTYPE_OSSINITDATA_CAP_HASH],
      [18, EventType.EVTYPE_LCP_CONTROL_HASH],
      [18, EventType.EVTYPE_LCP_AUTHORITIES_HASH],
      [19, EventType.EV_EVENT_TAG],
    ]);
    // PCR 17 recomputed independently: zeros, then H(SinitHash ‖ EDX), then each SINIT extend
    const sha256 = (data: Uint8Array | Buffer) => createHash("sha256").update(data).digest();
    let pcr17: Buffer = Buffer.alloc(32);
    for (const event of result.prediction.events.filter((e) => e.pcrIndex === 17)) pcr17 = sha256(Buffer.concat([pcr17, Buffer.from(event.digests.get("sha256") as Uint8Array)]));
    expect(toHex(result.pcrs.get("sha256")?.get(17) as Uint8Array)).toBe(pcr17.toString("hex"));
    const pcr19 = sha256(Buffer.concat([Buffer.alloc(32), sha256(result.plan.rootSegment)]));
    expect(toHex(result.pcrs.get("sha256")?.get(19) as Uint8Array)).toBe(pcr19.toString("hex"));
    expect(boot.log.some((line) => line.includes("TXT: GETSEC[SENTER]"))).toBe(true);
  });

  it("runs SKINIT on AMD: PCR 17 = H(0 ‖ H(SL)) then the hypervisor, PCR 19 by NOVA", async () => {
    const { result } = await launch(skinitTestPlatform());
    expect(result.plan.method).toBe("skinit");
    const sha1 = (data: Uint8Array | Buffer) => createHash("sha1").update(data).digest();
    const first = result.plan.steps[0];
    expect(first?.kind).toBe("drtm");
    const slHash = sha1(first?.kind === "drtm" ? first.data : new Uint8Array(0));
    const afterSl = sha1(Buffer.concat([Buffer.alloc(20), slHash]));
    const pcr17 = sha1(Buffer.concat([afterSl, sha1(result.plan.mle.measured)]));
    expect(toHex(result.pcrs.get("sha1")?.get(17) as Uint8Array)).toBe(pcr17.toString("hex"));
    expect(result.prediction.events.map((event) => event.pcrIndex)).toEqual([17, 17, 19]);
  });

  it("publishes every measurement on the measure hook with the log record's type and data", async () => {
    const plugin = createTxtLaunchPlugin();
    const events: MeasureEvent[] = [];
    const observer = definePlugin({
      name: "measure-observer",
      version: "0.0.0",
      kind: "extension",
      register(context) {
        context.hooks.measure.tap("measure-observer", (event) => events.push(event));
      },
    });
    await bootTestKernel({ platform: skinitTestPlatform(), plugins: [plugin as NovakitPlugin<unknown>, observer], durationMs: 1 });
    expect(events.map((event) => [event.pcr, event.locality, event.eventType])).toEqual([
      [17, 4, EventType.EVTYPE_HASH_START],
      [17, 2, EventType.EVTYPE_MLE_HASH],
      [19, 2, EventType.EV_EVENT_TAG],
    ]);
    expect(Object.keys(events[2]?.digests ?? {})).toEqual(["sha1", "sha256", "sha384", "sha512"]);
  });

  it("refuses TXT on AMD and SKINIT on Intel with NK-TXT-002", async () => {
    await expect(launch(skinitTestPlatform(), { method: "txt" })).rejects.toMatchObject({ code: "NK-TXT-002" });
    await expect(launch(txtTestPlatform(), { method: "skinit" })).rejects.toMatchObject({ code: "NK-TXT-002" });
  });

  it("fails the launch when the TPM's PCRs disagree with what was extended (NK-TXT-016)", async () => {
    // a TPM that silently drops NOVA's PCR 19 extend
    const lying = (): Tpm => {
      const tpm = new EmbeddedTpm();
      return new Proxy(tpm, {
        get(target, property, receiver) {
          if (property === "pcrExtend") return async (pcr: number, locality: number, digests: ReadonlyMap<"sha1" | "sha256" | "sha384" | "sha512", Uint8Array>) => (pcr === 19 ? undefined : target.pcrExtend(pcr, locality, digests));
          const value = Reflect.get(target, property, receiver) as unknown;
          return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        },
      });
    };
    const error = await launch(txtTestPlatform(), {}, lying).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(isNovakitError(error)).toBe(true);
    expect((error as NovakitError).code).toBe("NK-TXT-016");
  });

  it("a TPM that dies mid-launch fails the boot with its error; no launch result is reported", async () => {
    let extends_ = 0;
    let reported = false;
    const dying = (): Tpm => {
      const tpm = new EmbeddedTpm();
      return new Proxy(tpm, {
        get(target, property, receiver) {
          if (property === "pcrExtend") {
            return async (pcr: number, locality: number, digests: ReadonlyMap<"sha1" | "sha256" | "sha384" | "sha512", Uint8Array>) => {
              if (++extends_ === 3) throw new NovakitError("NK-TPM-009", "the TPM closed the connection before its answer was complete");
              return target.pcrExtend(pcr, locality, digests);
            };
          }
          const value = Reflect.get(target, property, receiver) as unknown;
          return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        },
      });
    };
    const plugin = createTxtLaunchPlugin({ openTpm: dying, onLaunch: () => (reported = true) });
    const error = await bootTestKernel({ platform: txtTestPlatform(), plugins: [plugin as NovakitPlugin<unknown>], durationMs: 1 }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    // the TPM layer's NK-TPM-009 inside the launch's NK-TXT-019, which names what was not extended
    expect((error as NovakitError).code).toBe("NK-TXT-019");
    expect((error as NovakitError).message).toMatch(/not extended: PCR 17: .*\(NK-TPM-009/);
    expect(reported).toBe(false);
  });
});
