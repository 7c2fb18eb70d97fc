import { afterEach, describe, expect, it } from "vitest";
import { TpmCommandProcessor } from "../embedded/command-processor.js";
import { EmbeddedTpm } from "../embedded/embedded-tpm.js";
import { hashBytes } from "../hash-algorithm.js";
import { openTpm } from "../open-tpm.js";
import { expectNovakitError } from "../test-support/expect-novakit-error.js";
import { startFakeSwtpm, startScriptedServer, unusedPort, type FakeServer, type FakeSwtpm } from "../test-support/fake-tcp-server.js";
import { hex, toHex } from "../test-support/hex.js";
import { HASH_ALGORITHMS, type HashAlgorithm } from "../tpm.js";
import { TpmDiagnostic } from "../tpm-diagnostics.js";
import { TcpTpm } from "./tcp-tpm.js";

const ALL_PCRS = Array.from({ length: 24 }, (_, pcr) => pcr);
const open: (FakeServer | FakeSwtpm)[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

function digestsOf(data: string): Map<HashAlgorithm, Uint8Array> {
  return new Map(HASH_ALGORITHMS.map((bank) => [bank, hashBytes(bank, new TextEncoder().encode(data))]));
}

async function scripted(respond: Parameters<typeof startScriptedServer>[0]): Promise<TcpTpm> {
  const server = await startScriptedServer(respond);
  open.push(server);
  return new TcpTpm({ host: "127.0.0.1", port: server.port, controlPort: server.port + 1 }, { timeoutMs: 2000 });
}

async function fakeSwtpm(options: Parameters<typeof startFakeSwtpm>[1] = {}): Promise<{ tpm: TcpTpm; swtpm: FakeSwtpm }> {
  const swtpm = await startFakeSwtpm(new TpmCommandProcessor(), options);
  open.push(swtpm);
  return { tpm: new TcpTpm(swtpm.address, { timeoutMs: 2000 }), swtpm };
}

describe("TCP client against swtpm's socket protocol (a fake swtpm around the embedded processor)", () => {
  it("runs the same launch as the embedded TPM and reads the same PCRs", async () => {
    const { tpm, swtpm } = await fakeSwtpm();
    expect(tpm.description).toBe(`tcp://127.0.0.1:${swtpm.address.port}`);
    const embedded = new EmbeddedTpm();
    for (const target of [tpm, embedded]) {
      await target.startup();
      await target.drtmHash(new TextEncoder().encode("secure loader image bytes"));
      await target.pcrExtend(17, 2, digestsOf("MLE image"));
      await target.pcrExtend(19, 2, digestsOf("root image"));
      await target.pcrExtend(23, 0, digestsOf("application"));
    }
    const overTcp = await tpm.pcrRead(ALL_PCRS, HASH_ALGORITHMS);
    const local = await embedded.pcrRead(ALL_PCRS, HASH_ALGORITHMS);
    for (const bank of HASH_ALGORITHMS) {
      for (const pcr of ALL_PCRS) expect(toHex(overTcp.get(bank)?.get(pcr) ?? new Uint8Array()), `${bank}:${pcr}`).toBe(toHex(local.get(bank)?.get(pcr) ?? new Uint8Array()));
    }
    expect(toHex(overTcp.get("sha256")?.get(17) ?? new Uint8Array())).toBe("725d4fe2cd7707c8c32c8ec1ef65fcaaaa9bf1e52c248231b15e8ed1a593d060");
    expect(await tpm.activeBanks()).toEqual(HASH_ALGORITHMS);
    expect((await tpm.getRandom(80)).length).toBe(80);
  });

  it("sets the locality through the control channel for an extend and puts it back to 0", async () => {
    const { tpm, swtpm } = await fakeSwtpm();
    await tpm.startup();
    await tpm.pcrExtend(20, 1, digestsOf("x"));
    await tpm.pcrExtend(16, 0, digestsOf("y"));
    await tpm.pcrRead([20], ["sha256"]);
    expect(swtpm.controlLog).toEqual([5, 5, 5]);
    expect(swtpm.commandLocalities).toEqual([0, 1, 0, 0]);
  });

  it("the DRTM goes through HASH_START / HASH_DATA (in chunks) / HASH_END", async () => {
    const { tpm, swtpm } = await fakeSwtpm();
    await tpm.startup();
    const data = new Uint8Array(2500).fill(7);
    await tpm.drtmHash(data);
    expect(swtpm.controlLog).toEqual([6, 7, 7, 7, 8]);
    const sha1 = (await tpm.pcrRead([17], ["sha1"])).get("sha1")?.get(17) ?? new Uint8Array();
    expect(toHex(sha1)).toBe(toHex(hashBytes("sha1", new Uint8Array(20), hashBytes("sha1", data))));
  });

  it("a TPM error over TCP is decoded like the embedded one (NK-TPM-004)", async () => {
    const { tpm } = await fakeSwtpm();
    await tpm.startup();
    const error = await expectNovakitError(() => tpm.pcrExtend(17, 0, digestsOf("x")), TpmDiagnostic.LOCALITY_REFUSED);
    expect(error.describe()).toMatch(/tcp:\/\/127\.0\.0\.1:\d+.*TPM_RC_LOCALITY \(0x907\)/);
  });

  it("a control channel that refuses the locality is NK-TPM-010, and nothing is extended", async () => {
    const { tpm, swtpm } = await fakeSwtpm({ controlResult: (code) => (code === 5 ? 0x3d : 0) });
    await tpm.startup();
    const error = await expectNovakitError(() => tpm.pcrExtend(17, 4, digestsOf("x")), TpmDiagnostic.CONTROL_FAILED);
    expect(error.message).toMatch(/CMD_SET_LOCALITY \(locality 4\).*0x3d \(TPM_BAD_LOCALITY\)/);
    expect(swtpm.commandLocalities).toEqual([0]);
  });

  it("control commands: powerOn, stop, capabilities", async () => {
    const { tpm, swtpm } = await fakeSwtpm();
    await tpm.powerOn();
    await tpm.stop();
    expect(await tpm.controlCapabilities()).toBe(0xffff);
    expect(swtpm.controlLog).toEqual([2, 14, 1]);
  });

  it("a TPM that dies in the middle of a multi-part PCR_Read gives NK-TPM-009, never a partial result", async () => {
    const { tpm } = await fakeSwtpm({ dieAfterCommands: 3 });
    await tpm.startup();
    const error = await expectNovakitError(() => tpm.pcrRead(ALL_PCRS, HASH_ALGORITHMS), TpmDiagnostic.CONNECTION_LOST);
    expect(error.message).toMatch(/closed the connection after \d+ byte\(s\)/);
  });
});

describe("TCP failure modes, each a clear NovakitError", () => {
  it("connection refused is NK-TPM-007 with a hint to start swtpm", async () => {
    const port = await unusedPort();
    const tpm = openTpm(`tcp://127.0.0.1:${port}`);
    const error = await expectNovakitError(() => tpm.startup(), TpmDiagnostic.CONNECTION_FAILED);
    expect(error.message).toMatch(/cannot connect to 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    expect(error.hint).toMatch(/swtpm socket/);
  });

  it("garbage instead of a response is NK-TPM-001", async () => {
    const tpm = await scripted((_, socket) => socket.end("HELLO, I AM NOT A TPM\r\n"));
    const error = await expectNovakitError(() => tpm.getRandom(8), TpmDiagnostic.MALFORMED_RESPONSE);
    expect(error.message).toMatch(/not a TPM 2\.0 answer/);
  });

  it("an absurd size field is NK-TPM-002 at once, without waiting for 4 GiB", async () => {
    const tpm = await scripted((_, socket) => socket.write(Buffer.from(hex("8001 ffffffff 00000000"))));
    await expectNovakitError(() => tpm.getRandom(8), TpmDiagnostic.BAD_RESPONSE_SIZE);
  });

  it("a size field below the header is NK-TPM-002", async () => {
    const tpm = await scripted((_, socket) => socket.write(Buffer.from(hex("8001 00000004 00000000"))));
    await expectNovakitError(() => tpm.getRandom(8), TpmDiagnostic.BAD_RESPONSE_SIZE);
  });

  it("a response cut short and the connection closed is NK-TPM-009", async () => {
    const tpm = await scripted((_, socket) => socket.end(Buffer.from(hex("8001 0000001c 00000000 0010 0102"))));
    const error = await expectNovakitError(() => tpm.getRandom(16), TpmDiagnostic.CONNECTION_LOST);
    expect(error.message).toMatch(/after 14 byte\(s\)/);
  });

  it("a connection closed before any answer is NK-TPM-009", async () => {
    const tpm = await scripted((_, socket) => socket.end());
    await expectNovakitError(() => tpm.startup(), TpmDiagnostic.CONNECTION_LOST);
  });

  it("a connection reset mid-answer is NK-TPM-009", async () => {
    const tpm = await scripted((_, socket) => {
      socket.write(Buffer.from(hex("8001 0000001c 0000")));
      setImmediate(() => socket.resetAndDestroy());
    });
    await expectNovakitError(() => tpm.getRandom(16), TpmDiagnostic.CONNECTION_LOST);
  });

  it("bytes beyond the announced size are NK-TPM-001", async () => {
    const tpm = await scripted((_, socket) => socket.write(Buffer.from(hex("8001 0000000a 00000000 deadbeef"))));
    await expectNovakitError(() => tpm.startup(), TpmDiagnostic.MALFORMED_RESPONSE);
  });

  it("a well-framed response of the wrong shape is NK-TPM-001", async () => {
    // GetRandom answer whose TPM2B size claims 16 bytes but carries 2
    const tpm = await scripted((_, socket) => socket.write(Buffer.from(hex("8001 0000000e 00000000 0010 0102"))));
    await expectNovakitError(() => tpm.getRandom(16), TpmDiagnostic.MALFORMED_RESPONSE);
  });

  it("a TPM that never answers is NK-TPM-008", async () => {
    const server = await startScriptedServer(() => {});
    open.push(server);
    const tpm = new TcpTpm({ host: "127.0.0.1", port: server.port, controlPort: server.port + 1 }, { timeoutMs: 150 });
    const error = await expectNovakitError(() => tpm.startup(), TpmDiagnostic.TIMEOUT);
    expect(error.message).toMatch(/no answer within 150 ms/);
  });

  it("a bad timeout is NK-TPM-005", async () => {
    await expectNovakitError(() => new TcpTpm({ host: "127.0.0.1", port: 1, controlPort: 2 }, { timeoutMs: 0 }), TpmDiagnostic.BAD_ARGUMENT);
  });
});
