import { fileURLToPath } from "node:url";
import { prepareConfiguration, type PreparedConfiguration } from "@novakit/cli";
import { createKernel, NovakitError, type FaultEvent } from "@novakit/kernel-core";
import { afterEach, describe, expect, it } from "vitest";
import { TPM_TOOLS_MISSING_MESSAGE, missingTpmTools, startSwtpm, type SwtpmInstance } from "./support/tpm-swtpm-process.js";

/**
 * A real TPM that dies in the middle of a measured launch: the SKINIT example boots in-process
 * against swtpm over TCP, and right after SKINIT's PCR 17 measurement swtpm is killed (SIGTERM by
 * PID) or frozen (SIGSTOP: it accepts connections but never answers, a hung TPM). The launch must
 * fail with NK-TXT-019 naming the measurements that were not extended, within the short socket
 * timeout the plugin option sets: no hang, never a launch that looks complete.
 */
const REPOSITORY = fileURLToPath(new URL("../", import.meta.url));
const missing = missingTpmTools();
/** the plugin's socket timeout for this test: short, so a frozen swtpm is noticed quickly */
const SOCKET_TIMEOUT_MS = 1500;

interface DyingLaunch {
  readonly error: NovakitError | undefined;
  readonly faults: readonly FaultEvent[];
  readonly measuredBeforeDeath: readonly number[];
}

/** the skinit-amd example with the launch pointed at `url`, the TPM killed by `kill` after the first measurement */
async function launchAgainst(url: string, kill: () => void): Promise<DyingLaunch> {
  const prepared: PreparedConfiguration = await prepareConfiguration(REPOSITORY, "examples/configs/skinit-amd/novakit.config.json");
  const plugins = prepared.requests.map((request) =>
    request.plugin.name === "@novakit/txt-launch"
      ? { ...request, options: { ...(request.options as Record<string, unknown>), tpm: url, tpmTimeoutMs: SOCKET_TIMEOUT_MS } }
      : request,
  );
  const kernel = createKernel({ config: prepared.config, plugins, configDir: prepared.source.dir });
  const faults: FaultEvent[] = [];
  const measured: number[] = [];
  kernel.hooks.fault.tap("test", (event) => {
    faults.push(event);
  });
  kernel.hooks.measure.tap("test", (event) => {
    measured.push(event.pcr);
    if (measured.length === 1) kill();
  });
  try {
    await kernel.boot();
    return { error: undefined, faults, measuredBeforeDeath: measured };
  } catch (error) {
    if (!(error instanceof NovakitError)) throw error;
    return { error, faults, measuredBeforeDeath: measured };
  }
}

if (missing.length > 0) {
  if (process.env["CI"]) {
    describe("a dying swtpm", () => {
      it("needs swtpm and tpm2-tools", () => {
        throw new Error(`${TPM_TOOLS_MISSING_MESSAGE} (missing: ${missing.join(", ")})`);
      });
    });
  } else {
    console.warn(`interop/tpm-dying-swtpm.test.ts skipped: ${TPM_TOOLS_MISSING_MESSAGE} (missing: ${missing.join(", ")})`);
    describe.skip(`a dying swtpm — SKIPPED: missing ${missing.join(", ")}`, () => {
      it("fails the launch", () => {});
    });
  }
} else {
  describe("a TPM that dies mid-launch (swtpm over TCP)", () => {
    let swtpm: SwtpmInstance | undefined;
    afterEach(async () => {
      if (swtpm !== undefined && !swtpm.exited()) process.kill(swtpm.pid, "SIGCONT");
      await swtpm?.stop();
      swtpm = undefined;
    });

    it("swtpm killed after SKINIT's measurement: NK-TXT-019, PCR 17's hypervisor and PCR 19 not extended", async () => {
      const instance = await startSwtpm("not-need-init,startup-clear");
      swtpm = instance;
      const { error, faults, measuredBeforeDeath } = await launchAgainst(`tcp://127.0.0.1:${instance.port}`, () => {
        void instance.stop();
      });
      expect(measuredBeforeDeath).toEqual([17]);
      expect(error?.code).toBe("NK-TXT-019");
      // the next command finds nobody listening (or the connection torn down): NK-TPM-007 / NK-TPM-009
      expect(error?.message).toMatch(/not extended: PCR 17: .*; PCR 19: .*\(NK-TPM-00[79]/);
      expect(faults.some((fault) => fault.kind === "exception" && fault.detail.includes("not extended: PCR 17"))).toBe(true);
    });

    it("swtpm frozen (SIGSTOP) after SKINIT's measurement: the socket timeout ends the wait with NK-TPM-008 inside NK-TXT-019", async () => {
      const instance = await startSwtpm("not-need-init,startup-clear");
      swtpm = instance;
      const { error, measuredBeforeDeath } = await launchAgainst(`tcp://127.0.0.1:${instance.port}`, () => process.kill(instance.pid, "SIGSTOP"));
      expect(measuredBeforeDeath).toEqual([17]);
      expect(error?.code).toBe("NK-TXT-019");
      expect(error?.message).toMatch(/not extended: PCR 17: .*\(NK-TPM-008/);
      // swtpm never answers again: only the plugin's socket timeout (tpmTimeoutMs) can have ended the wait
    });
  });
}
