import { z } from "zod";
import { NovakitError } from "@novakit/kernel-core";
import { TpmDiagnostic } from "../tpm-diagnostics.js";

/**
 * A deterministic way for the embedded TPM to die (fault injection): after `afterExchanges`
 * exchanges (a command and its response, or one DRTM hash sequence) every later one fails:
 * - "no-answer": the TPM stops answering; the driver's command timeout runs out. No wall clock
 *   is read: the timeout is simulated, NOVA's timeout B of 2 s (txt-tpm.md §10.10), so the
 *   failure is immediate and the same every run;
 * - "garbage": it answers bytes that are no TPM response (a 10-byte header with a bad tag);
 * - "disconnect": the connection goes away before the answer (as a killed swtpm's socket).
 */
export const tpmFailureModeSchema = z
  .object({
    afterExchanges: z.number().int().min(0),
    mode: z.enum(["no-answer", "garbage", "disconnect"]),
  })
  .strict();

export type TpmFailureMode = z.output<typeof tpmFailureModeSchema>;

/** NOVA's TPM command timeout B (txt-tpm.md §10.10), the simulated wait before giving up */
export const SIMULATED_TPM_TIMEOUT_MS = 2000;

/** what a "garbage" TPM answers: tag 0xdead, size 10, code 0 (no TPM_ST_* tag is 0xdead) */
const GARBAGE_RESPONSE = Uint8Array.of(0xde, 0xad, 0, 0, 0, 10, 0, 0, 0, 0);

/** Counts exchanges and, once the TPM has died, says how the next one fails. */
export class TpmFailureSchedule {
  private exchanges = 0;

  constructor(private readonly failure: TpmFailureMode | undefined) {}

  /**
   * Called before each exchange. Returns the bytes a garbage TPM answers instead of running the
   * command, throws NK-TPM-008 / NK-TPM-009 for a silent or vanished TPM, or returns undefined
   * while the TPM still works.
   */
  beforeExchange(what: string): Uint8Array | undefined {
    const failure = this.failure;
    this.exchanges += 1;
    if (failure === undefined || this.exchanges <= failure.afterExchanges) return undefined;
    switch (failure.mode) {
      case "garbage":
        return Uint8Array.from(GARBAGE_RESPONSE);
      case "no-answer":
        throw new NovakitError(
          TpmDiagnostic.TIMEOUT,
          `the embedded TPM did not answer ${what} within ${SIMULATED_TPM_TIMEOUT_MS} ms (simulated; fault injection after ${failure.afterExchanges} exchanges)`,
          { field: "tpm" },
        );
      case "disconnect":
        throw new NovakitError(
          TpmDiagnostic.CONNECTION_LOST,
          `the embedded TPM went away before answering ${what} (fault injection after ${failure.afterExchanges} exchanges)`,
          { field: "tpm" },
        );
    }
  }
}
