import { Socket } from "node:net";
import { NovakitError } from "@novakit/kernel-core";
import { TpmDiagnostic } from "../tpm-diagnostics.js";

/**
 * How many bytes a complete answer has, judged from what has arrived so far: a number once it
 * is known, undefined while more bytes are needed to tell. May throw (a garbage header).
 */
export type AnswerLength = (received: Uint8Array) => number | undefined;

export interface ExchangeRequest {
  readonly host: string;
  readonly port: number;
  readonly request: Uint8Array;
  readonly answerLength: AnswerLength;
  /** for the whole exchange: connect, send, answer */
  readonly timeoutMs: number;
  /** "TPM2_PCR_Read on tcp://127.0.0.1:2321", named in every error */
  readonly what: string;
}

/**
 * One request and its answer over a fresh TCP connection, then the connection is closed. swtpm
 * serves one client at a time (swtpm-recipe.md §2), so holding a connection open would lock out
 * tpm2-tools; and it does not reassemble a command split after the header (§5), so the request
 * goes out in one write. Every way this can fail is a NovakitError, and the promise resolves
 * only with a complete answer: bytes beyond the announced length are an error too.
 */
export function exchange(request: ExchangeRequest): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;

    const finish = (error: NovakitError | undefined, answer?: Uint8Array): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on("error", () => {}); // late errors of a socket we are done with are not news
      socket.destroy();
      if (error !== undefined) reject(error);
      else resolve(answer ?? new Uint8Array(0));
    };

    const timer = setTimeout(() => {
      const stage = received === 0 ? "no answer" : `only ${received} byte(s) of the answer`;
      finish(
        new NovakitError(TpmDiagnostic.TIMEOUT, `${request.what}: ${stage} within ${request.timeoutMs} ms`, { file: request.what }, "is the TPM alive and not busy with another client?"),
      );
    }, request.timeoutMs);

    socket.on("error", (error: NodeJS.ErrnoException) => finish(socketError(error, request, received)));
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      const bytes = new Uint8Array(Buffer.concat(chunks));
      let expected: number | undefined;
      try {
        expected = request.answerLength(bytes);
      } catch (error) {
        finish(error instanceof NovakitError ? error : new NovakitError(TpmDiagnostic.MALFORMED_RESPONSE, `${request.what}: ${String(error)}`));
        return;
      }
      if (expected === undefined || bytes.length < expected) return;
      if (bytes.length > expected) {
        finish(
          new NovakitError(
            TpmDiagnostic.MALFORMED_RESPONSE,
            `${request.what}: ${bytes.length - expected} byte(s) beyond the ${expected}-byte answer`,
            { file: request.what, offset: expected },
          ),
        );
        return;
      }
      finish(undefined, bytes);
    });
    socket.on("close", () => {
      finish(
        new NovakitError(
          TpmDiagnostic.CONNECTION_LOST,
          `${request.what}: the TPM closed the connection after ${received} byte(s), before its answer was complete`,
          { file: request.what, offset: received },
          "the TPM died or rejected the request; no partial result is used",
        ),
      );
    });
    socket.connect(request.port, request.host, () => {
      socket.write(request.request);
    });
  });
}

function socketError(error: NodeJS.ErrnoException, request: ExchangeRequest, received: number): NovakitError {
  const address = `${request.host}:${request.port}`;
  switch (error.code) {
    case "ECONNREFUSED":
    case "EHOSTUNREACH":
    case "ENETUNREACH":
    case "ENOTFOUND":
    case "EADDRNOTAVAIL":
    case "EAI_AGAIN":
      return new NovakitError(
        TpmDiagnostic.CONNECTION_FAILED,
        `${request.what}: cannot connect to ${address} (${error.code})`,
        { file: request.what },
        "start the TPM first, e.g. `swtpm socket --tpm2 --server type=tcp,port=2321 --ctrl type=tcp,port=2322 --tpmstate dir=DIR --flags startup-clear`",
      );
    default:
      return new NovakitError(
        TpmDiagnostic.CONNECTION_LOST,
        `${request.what}: connection to ${address} failed after ${received} byte(s) of the answer (${error.code ?? error.message})`,
        { file: request.what, offset: received },
        "the TPM died mid-command; no partial result is used",
      );
  }
}
