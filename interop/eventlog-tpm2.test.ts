import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseEventLog, replayEventLog, toHex } from "@novakit/txt-launch";
import { afterAll, describe, expect, it } from "vitest";
import { novakit } from "./support/novakit-cli-run.js";
import { parseTpm2EventlogOutput } from "./support/tpm2-eventlog-output.js";

/**
 * The event logs Novakit writes, read by tpm2-tools' tpm2_eventlog (a TCG log parser written
 * independently of ours): it must parse every record and agree on every digest and on the PCR
 * values it replays (txt-tpm.md §9 notes it treats TXT types as "Unknown event type" but replays them).
 */
const EXAMPLES = fileURLToPath(new URL("../examples/configs/", import.meta.url));

function hasTpm2Eventlog(): boolean {
  try {
    execFileSync("tpm2_eventlog", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const MISSING = "tpm2_eventlog is not installed: install the Debian package tpm2-tools (`sudo apt-get install tpm2-tools`)";

if (!hasTpm2Eventlog()) {
  if (process.env["CI"]) {
    describe("event log vs tpm2_eventlog", () => {
      it("needs tpm2-tools", () => {
        throw new Error(MISSING);
      });
    });
  } else {
    console.warn(`interop/eventlog-tpm2.test.ts skipped: ${MISSING}`);
    describe.skip(`event log vs tpm2_eventlog — SKIPPED: ${MISSING}`, () => {
      it("parses the log", () => {});
    });
  }
} else {
  describe("event log vs tpm2_eventlog", () => {
    const work = mkdtempSync(join(tmpdir(), "novakit-eventlog-"));
    afterAll(() => rmSync(work, { recursive: true, force: true }));

    it.each(["txt-intel", "skinit-amd"])("%s: tpm2_eventlog parses the expected log and agrees on every digest and PCR", async (example) => {
      const logPath = join(work, `${example}.log`);
      const run = await novakit(work, ["measure", join(EXAMPLES, example), "-o", logPath]);
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      const ours = parseEventLog(new Uint8Array(readFileSync(logPath)), logPath);
      const replay = replayEventLog(ours.header, ours.events);
      const tool = parseTpm2EventlogOutput(execFileSync("tpm2_eventlog", [logPath], { encoding: "utf8" }));
      expect(tool.digests.size).toBe(ours.events.length);
      for (const event of ours.events) {
        expect(tool.pcrIndex.get(event.number)).toBe(event.pcrIndex);
        const theirs = tool.digests.get(event.number);
        for (const [bank, digest] of event.digests) expect(theirs?.get(bank)).toBe(toHex(digest));
      }
      for (const [bank, values] of tool.pcrs) {
        for (const [pcr, hex] of values) expect(toHex(replay.pcrs.get(bank as "sha1")?.get(pcr) as Uint8Array)).toBe(hex);
      }
      expect([...(tool.pcrs.get("sha256")?.keys() ?? [])].sort()).toEqual([17, 19, ...(example === "txt-intel" ? [18] : [])].sort());
    });
  });
}
