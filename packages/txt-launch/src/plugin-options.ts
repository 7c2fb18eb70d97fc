import { z } from "zod";
import { tpmFailureModeSchema } from "./tpm/embedded/tpm-failure-mode.js";

const hexOrNumber = z.union([z.number().int().nonnegative(), z.string().regex(/^0x[0-9a-fA-F]+$/, 'a number or a "0x..." hex string')]);

/**
 * Options of @novakit/txt-launch. Paths are relative to the configuration file.
 * - method: "txt", "skinit" or "auto" (TXT on Intel, SKINIT on AMD)
 * - tpm: "embedded" (default) or "tcp://host:port" (swtpm or a TPM simulator; control channel at port + 1)
 * - mle / root: a real NOVA hypervisor-x86_64 ELF and root task ELF to measure instead of the composed images
 * - acm: a SINIT ACM file (default: Novakit's synthetic test ACM); slb: a secure loader image for SKINIT
 * - txt: TXT register values of the platform (default: the TXT test platform's)
 */
export const txtLaunchOptionsSchema = z
  .object({
    method: z.enum(["txt", "skinit", "auto"]).default("auto"),
    tpm: z.string().default("embedded"),
    /** tcp:// TPMs: the per-exchange socket timeout (connect + command + answer), ms; default 5000 */
    tpmTimeoutMs: z.number().int().min(1).max(600_000).optional(),
    /** fault injection for the embedded TPM: it dies after some exchanges (tpm/embedded/tpm-failure-mode.ts) */
    tpmFailure: tpmFailureModeSchema.optional(),
    mle: z.string().optional(),
    root: z.string().optional(),
    acm: z.string().optional(),
    slb: z.string().optional(),
    txt: z
      .object({
        sinitBase: hexOrNumber.optional(),
        sinitSize: hexOrNumber.optional(),
        heapBase: hexOrNumber.optional(),
        heapSize: hexOrNumber.optional(),
        dpr: hexOrNumber.optional(),
        didvid: hexOrNumber.optional(),
        errorCode: hexOrNumber.optional(),
        platformId: hexOrNumber.optional(),
        publicKeyHash: z.string().regex(/^[0-9a-fA-F]{64}$/, "64 hex digits (SHA-256)").optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type TxtLaunchOptions = z.output<typeof txtLaunchOptionsSchema>;
export type TxtLaunchOptionsInput = z.input<typeof txtLaunchOptionsSchema>;
