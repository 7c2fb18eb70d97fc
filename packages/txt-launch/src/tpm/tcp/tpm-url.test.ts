import { describe, expect, it } from "vitest";
import { expectNovakitError } from "../test-support/expect-novakit-error.js";
import { TpmDiagnostic } from "../tpm-diagnostics.js";
import { formatTcpAddress, parseTpmLocation } from "./tpm-url.js";

describe("--tpm values", () => {
  it("parses embedded and tcp://host:port with the control channel at port + 1", () => {
    expect(parseTpmLocation("embedded")).toEqual({ kind: "embedded" });
    expect(parseTpmLocation("tcp://127.0.0.1:2321")).toEqual({ kind: "tcp", host: "127.0.0.1", port: 2321, controlPort: 2322 });
    expect(parseTpmLocation("tcp://localhost:2321/")).toEqual({ kind: "tcp", host: "localhost", port: 2321, controlPort: 2322 });
    expect(parseTpmLocation("tcp://[::1]:2321")).toEqual({ kind: "tcp", host: "::1", port: 2321, controlPort: 2322 });
    expect(formatTcpAddress({ host: "::1", port: 2321, controlPort: 2322 })).toBe("tcp://[::1]:2321");
  });

  it.each(["", "tcp://127.0.0.1", "tcp://127.0.0.1:0", "tcp://127.0.0.1:65535", "http://127.0.0.1:2321", "swtpm:host=127.0.0.1,port=2321", "tcp://a b:1"])(
    "refuses %j with NK-TPM-006",
    async (value) => {
      const error = await expectNovakitError(() => parseTpmLocation(value), TpmDiagnostic.BAD_TPM_URL);
      expect(error.hint).toMatch(/tcp:\/\/127\.0\.0\.1:2321/);
    },
  );
});
