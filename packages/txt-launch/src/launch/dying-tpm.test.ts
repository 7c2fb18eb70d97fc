import { describe, expect, it } from "vitest";
import { createTestKernel, NovakitError, type FaultEvent } from "@novakit/kernel-core";
import { createTxtLaunchPlugin } from "../plugin.js";
import { skinitTestPlatform, txtTestPlatform } from "../test-support/txt-test-platform.js";
import type { TpmFailureMode } from "../tpm/embedded/tpm-failure-mode.js";

interface LaunchOutcome {
  readonly code: string | undefined;
  readonly message: string;
  readonly faults: readonly FaultEvent[];
}

/** Boot the TXT (or SKINIT) test platform with the embedded TPM dying as `failure` says. */
async function launchWith(failure: TpmFailureMode | undefined, platform = txtTestPlatform()): Promise<LaunchOutcome> {
  const plugin = createTxtLaunchPlugin();
  const kernel = createTestKernel({ platform, plugins: [{ plugin, options: failure === undefined ? {} : { tpmFailure: failure } }], durationMs: 1 });
  const faults: FaultEvent[] = [];
  kernel.hooks.fault.tap("test", (event) => {
    faults.push(event);
  });
  try {
    await kernel.boot();
    return { code: undefined, message: "", faults };
  } catch (error) {
    if (!(error instanceof NovakitError)) throw error;
    return { code: error.code, message: error.message, faults };
  }
}

/** exchanges of a TXT launch with four banks: Startup, GetCapability, then the DRTM and 13 extends, then PCR_Read */
async function exchangesOfLaunch(platform = txtTestPlatform()): Promise<number> {
  for (let k = 0; ; k++) {
    if ((await launchWith({ afterExchanges: k, mode: "disconnect" }, platform)).code === undefined) return k;
  }
}

describe("a TPM that stops answering mid-launch (fault mode tpmFailure)", () => {
  it("each mode at the PCR 19 extend: NK-TXT-019 naming the measurement not extended, published on the fault hook", async () => {
    const total = await exchangesOfLaunch();
    // the last exchanges are PCR_Read; the one before them is NOVA's PCR 19 extend
    const outcomes = new Map<string, LaunchOutcome>();
    for (const mode of ["no-answer", "disconnect"] as const) {
      for (let k = total - 1; k >= 0; k--) {
        const outcome = await launchWith({ afterExchanges: k, mode });
        if (outcome.message.includes("not extended: PCR 19")) {
          outcomes.set(mode, outcome);
          break;
        }
      }
    }
    const silent = outcomes.get("no-answer");
    const gone = outcomes.get("disconnect");
    expect(silent?.code).toBe("NK-TXT-019");
    expect(silent?.message).toMatch(/NK-TPM-008: the embedded TPM did not answer a command within 2000 ms \(simulated/);
    expect(gone?.code).toBe("NK-TXT-019");
    expect(gone?.message).toContain("NK-TPM-009");
    // only PCR 19 is missing: SINIT's PCR 17/18 extends all reached the TPM
    expect(silent?.message).toMatch(/not extended: PCR 19: [^;]+ \(NK-TPM-008/);
    // the boot error names the plugin and phase around the launch's own message, which the fault hook carries
    const published = silent?.faults.filter((fault) => fault.kind === "exception").map((fault) => fault.detail) ?? [];
    expect(published).toHaveLength(1);
    expect(silent?.message.endsWith(published[0] ?? "-")).toBe(true);
  });

  it("every failure point ends with a clear NovakitError, never a hang or a launch that looks complete", async () => {
    const total = await exchangesOfLaunch(skinitTestPlatform());
    expect(total).toBeGreaterThan(5);
    const codes = new Set<string>();
    for (const mode of ["no-answer", "garbage", "disconnect"] as const) {
      for (let k = 0; k < total; k++) {
        const outcome = await launchWith({ afterExchanges: k, mode }, skinitTestPlatform());
        // before the launch steps (Startup, GetCapability): the TPM layer's own code;
        // during them: NK-TXT-019; a garbage DRTM sequence only shows in the read-back: NK-TXT-016
        expect(outcome.code).toMatch(/^NK-(TPM-00[1289]|TXT-01[69])$/);
        codes.add(outcome.code ?? "");
        if (outcome.code === "NK-TXT-019") expect(outcome.message).toMatch(/not extended: PCR 1[79]|read PCR 17\/18\/19 back/);
      }
    }
    expect([...codes].sort()).toEqual(expect.arrayContaining(["NK-TPM-008", "NK-TPM-009", "NK-TXT-019"]));
  });

  it("a healthy embedded TPM still launches (no failure configured)", async () => {
    expect((await launchWith(undefined)).code).toBeUndefined();
  });
});
