import { describe, expect, it } from "vitest";
import { EmbeddedTpm } from "./embedded/embedded-tpm.js";
import { TpmCommandProcessor } from "./embedded/command-processor.js";
import { hashBytes } from "./hash-algorithm.js";
import { openTpm } from "./open-tpm.js";
import { expectNovakitError } from "./test-support/expect-novakit-error.js";
import { toHex } from "./test-support/hex.js";
import { HASH_ALGORITHMS, type HashAlgorithm } from "./tpm.js";
import { TpmDiagnostic } from "./tpm-diagnostics.js";
import type { TpmTransport } from "./tpm-transport.js";
import { WireTpm } from "./wire-tpm.js";

const ALL_PCRS = Array.from({ length: 24 }, (_, pcr) => pcr);

function digestsOf(data: string, banks: readonly HashAlgorithm[] = HASH_ALGORITHMS): Map<HashAlgorithm, Uint8Array> {
  return new Map(banks.map((bank) => [bank, hashBytes(bank, new TextEncoder().encode(data))]));
}

describe("the Tpm interface over the embedded TPM", () => {
  it("opens by default, tolerates a second startup, and reports all four banks", async () => {
    const tpm = openTpm();
    expect(tpm.description).toBe("embedded");
    await tpm.startup();
    await tpm.startup();
    expect(await tpm.activeBanks()).toEqual(["sha1", "sha256", "sha384", "sha512"]);
  });

  it("reads all 24 PCRs of all four banks across several PCR_Read answers", async () => {
    const tpm = new EmbeddedTpm();
    await tpm.startup();
    await tpm.pcrExtend(23, 0, digestsOf("x"));
    const values = await tpm.pcrRead(ALL_PCRS, HASH_ALGORITHMS);
    for (const bank of HASH_ALGORITHMS) {
      expect(values.get(bank)?.size).toBe(24);
      const size = hashBytes(bank, new Uint8Array()).length;
      expect(toHex(values.get(bank)?.get(17) ?? new Uint8Array())).toBe("ff".repeat(size));
      expect(toHex(values.get(bank)?.get(23) ?? new Uint8Array())).toBe(toHex(hashBytes(bank, new Uint8Array(size), hashBytes(bank, new TextEncoder().encode("x")))));
    }
  });

  it("runs the DRTM and the NOVA locality-2 step, refusing PCR 17 at locality 0 (NK-TPM-004)", async () => {
    const tpm = new EmbeddedTpm();
    await tpm.startup();
    await tpm.drtmHash(new TextEncoder().encode("secure loader image bytes"));
    const error = await expectNovakitError(() => tpm.pcrExtend(17, 0, digestsOf("MLE image")), TpmDiagnostic.LOCALITY_REFUSED);
    expect(error.message).toMatch(/PCR 17.*locality 0.*TPM_RC_LOCALITY \(0x907\)/);
    await tpm.pcrExtend(17, 2, digestsOf("MLE image"));
    const values = await tpm.pcrRead([17], ["sha1", "sha256"]);
    expect(toHex(values.get("sha1")?.get(17) ?? new Uint8Array())).toBe("f46db69de0cb720faf41aa5b25f9b34feda227dd");
    expect(toHex(values.get("sha256")?.get(17) ?? new Uint8Array())).toBe("725d4fe2cd7707c8c32c8ec1ef65fcaaaa9bf1e52c248231b15e8ed1a593d060");
  });

  it("a TPM with only SHA-256 allocated: activeBanks says so, reading SHA-1 is NK-TPM-011", async () => {
    const tpm = new EmbeddedTpm({ banks: ["sha256"] });
    await tpm.startup();
    expect(await tpm.activeBanks()).toEqual(["sha256"]);
    const error = await expectNovakitError(() => tpm.pcrRead([0, 1], ["sha256", "sha1"]), TpmDiagnostic.BANK_NOT_ALLOCATED);
    expect(error.message).toMatch(/sha1 PCR 0, 1/);
  });

  it("commands before startup fail with the decoded TPM_RC_INITIALIZE (NK-TPM-003)", async () => {
    const tpm = new EmbeddedTpm();
    const error = await expectNovakitError(() => tpm.getRandom(8), TpmDiagnostic.COMMAND_FAILED);
    expect(error.message).toMatch(/TPM2_GetRandom failed: TPM_RC_INITIALIZE \(0x100\)/);
  });

  it("getRandom loops past the 64-byte cap and is reproducible per seed", async () => {
    const a = new EmbeddedTpm({ seed: "s" });
    const b = new EmbeddedTpm({ seed: "s" });
    await a.startup();
    await b.startup();
    const bytes = await a.getRandom(200);
    expect(bytes.length).toBe(200);
    expect(toHex(await b.getRandom(200))).toBe(toHex(bytes));
    expect((await a.getRandom(0)).length).toBe(0);
  });

  it("startup('state') is refused with a decoded error", async () => {
    const tpm = new EmbeddedTpm();
    const error = await expectNovakitError(() => tpm.startup("state"), TpmDiagnostic.COMMAND_FAILED);
    expect(error.message).toMatch(/TPM_RC_VALUE \(0x1c4\) on parameter 1/);
  });
});

describe("argument checks (NK-TPM-005) and use after close (NK-TPM-012)", () => {
  it.each([
    ["PCR 24", (tpm: EmbeddedTpm) => tpm.pcrExtend(24, 0, digestsOf("x"))],
    ["locality 5", (tpm: EmbeddedTpm) => tpm.pcrExtend(16, 5, digestsOf("x"))],
    ["no digests", (tpm: EmbeddedTpm) => tpm.pcrExtend(16, 0, new Map())],
    ["a short digest", (tpm: EmbeddedTpm) => tpm.pcrExtend(16, 0, new Map([["sha256", new Uint8Array(20)]]))],
    ["an unknown bank", (tpm: EmbeddedTpm) => tpm.pcrRead([0], ["md5" as HashAlgorithm])],
    ["no PCRs", (tpm: EmbeddedTpm) => tpm.pcrRead([], ["sha1"])],
    ["a PCR twice", (tpm: EmbeddedTpm) => tpm.pcrRead([1, 1], ["sha1"])],
    ["a negative byte count", (tpm: EmbeddedTpm) => tpm.getRandom(-1)],
  ])("%s", async (_, call) => {
    const tpm = new EmbeddedTpm();
    await tpm.startup();
    await expectNovakitError(() => call(tpm), TpmDiagnostic.BAD_ARGUMENT);
  });

  it("a closed TPM refuses every call", async () => {
    const tpm = new EmbeddedTpm();
    await tpm.close();
    await expectNovakitError(() => tpm.startup(), TpmDiagnostic.CLOSED);
    await expectNovakitError(() => tpm.drtmHash(new Uint8Array(1)), TpmDiagnostic.CLOSED);
    await tpm.close();
  });

  it("an embedded TPM with no banks is refused", async () => {
    await expectNovakitError(() => new EmbeddedTpm({ banks: [] }), TpmDiagnostic.BAD_ARGUMENT);
  });
});

describe("responses that do not add up", () => {
  /** A transport over a real processor that can rewrite each response before the client sees it. */
  function tamperingTransport(tamper: (response: Uint8Array, index: number) => Uint8Array): TpmTransport {
    const processor = new TpmCommandProcessor();
    let index = 0;
    return {
      description: "tampering",
      transmit: async (command, locality) => tamper(processor.execute(command, locality ?? 0), index++),
      hashSequence: async () => {},
      close: async () => {},
    };
  }

  it("a pcrUpdateCounter that moves between PCR_Read parts on every try is NK-TPM-013", async () => {
    const tpm = new WireTpm(
      tamperingTransport((response, index) => {
        if (response.length > 14) new DataView(response.buffer, response.byteOffset).setUint32(10, index, false);
        return response;
      }),
    );
    await tpm.startup();
    await expectNovakitError(() => tpm.pcrRead(ALL_PCRS, ["sha1", "sha256"]), TpmDiagnostic.PCRS_CHANGED);
  });

  it("a PCR_Read answer naming a PCR that was not asked for is NK-TPM-001", async () => {
    const tpm = new WireTpm(
      tamperingTransport((response) => {
        // the selection-out bitmap of a one-PCR read: claim PCR 1 instead of PCR 0
        if (response.length > 24 && response[20] === 3) response[21] = 0x02;
        return response;
      }),
    );
    await tpm.startup();
    await expectNovakitError(() => tpm.pcrRead([0], ["sha1"]), TpmDiagnostic.MALFORMED_RESPONSE);
  });
});
