import { NovakitError } from "../../errors/novakit-error.js";

/**
 * The job descriptor and completion record of Novakit's model accelerator ("novakit-accel",
 * class 12h). No standard defines a processing accelerator's queue format, so this one is the
 * model's own, laid out the way such devices do it: a fixed 64-byte little-endian descriptor the
 * device fetches by DMA, and a 16-byte completion record it writes last.
 *
 * Descriptor (64 bytes):
 * | offset | size | field |
 * | 0x00 | 4 | opcode: 1 = SHA-256 of the input, 2 = matrix product of two u8 matrices |
 * | 0x04 | 4 | dimension n (matrix product: input = A then B, n*n bytes each; output n*n u32) |
 * | 0x08 | 8 | input IOVA |
 * | 0x10 | 8 | input length in bytes |
 * | 0x18 | 8 | output IOVA |
 * | 0x20 | 8 | output capacity in bytes |
 * | 0x28 | 8 | completion record IOVA |
 * | 0x30 | 16 | reserved, zero |
 *
 * Completion record (16 bytes): u32 status (AcceleratorStatusCode), u32 sequence, u64 bytes written.
 */
export const ACCELERATOR_DESCRIPTOR_BYTES = 64;
export const ACCELERATOR_COMPLETION_BYTES = 16;
/** largest input a job may name (bounds the model's work per doorbell) */
export const ACCELERATOR_MAX_INPUT_BYTES = 16 * 1024 * 1024;

export const AcceleratorOpcode = { SHA256: 1, MATMUL_U8: 2 } as const;

export const AcceleratorStatusCode = {
  done: 1,
  "descriptor-dma-error": 2,
  "input-dma-error": 3,
  "output-dma-error": 4,
  "bad-opcode": 5,
  "bad-length": 6,
  "output-too-small": 7,
} as const;

export interface AcceleratorJob {
  readonly opcode: number;
  readonly dimension: number;
  readonly input: bigint;
  readonly inputLength: bigint;
  readonly output: bigint;
  readonly outputCapacity: bigint;
  readonly completion: bigint;
}

export function encodeAcceleratorJob(job: AcceleratorJob): Uint8Array {
  const bytes = new Uint8Array(ACCELERATOR_DESCRIPTOR_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint32(0x00, job.opcode >>> 0, true);
  view.setUint32(0x04, job.dimension >>> 0, true);
  view.setBigUint64(0x08, BigInt.asUintN(64, job.input), true);
  view.setBigUint64(0x10, BigInt.asUintN(64, job.inputLength), true);
  view.setBigUint64(0x18, BigInt.asUintN(64, job.output), true);
  view.setBigUint64(0x20, BigInt.asUintN(64, job.outputCapacity), true);
  view.setBigUint64(0x28, BigInt.asUintN(64, job.completion), true);
  return bytes;
}

export function decodeAcceleratorJob(bytes: Uint8Array): AcceleratorJob {
  if (bytes.length < ACCELERATOR_DESCRIPTOR_BYTES) {
    throw new NovakitError("NK-DEV-010", `an accelerator descriptor is ${ACCELERATOR_DESCRIPTOR_BYTES} bytes, got ${bytes.length}`, { field: "descriptor" });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, ACCELERATOR_DESCRIPTOR_BYTES);
  return {
    opcode: view.getUint32(0x00, true),
    dimension: view.getUint32(0x04, true),
    input: view.getBigUint64(0x08, true),
    inputLength: view.getBigUint64(0x10, true),
    output: view.getBigUint64(0x18, true),
    outputCapacity: view.getBigUint64(0x20, true),
    completion: view.getBigUint64(0x28, true),
  };
}

export function encodeAcceleratorCompletion(status: number, sequence: number, bytesWritten: number): Uint8Array {
  const bytes = new Uint8Array(ACCELERATOR_COMPLETION_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, status >>> 0, true);
  view.setUint32(4, sequence >>> 0, true);
  view.setBigUint64(8, BigInt(bytesWritten), true);
  return bytes;
}

export function decodeAcceleratorCompletion(bytes: Uint8Array): { readonly status: number; readonly sequence: number; readonly bytesWritten: bigint } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, ACCELERATOR_COMPLETION_BYTES);
  return { status: view.getUint32(0, true), sequence: view.getUint32(4, true), bytesWritten: view.getBigUint64(8, true) };
}

/** C = A x B for n x n matrices of u8 (row-major, A then B in `input`); C as u32 little-endian. */
export function matrixProductU8(input: Uint8Array, n: number): Uint8Array {
  const output = new Uint8Array(n * n * 4);
  const view = new DataView(output.buffer);
  const b = n * n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += input[i * n + k]! * input[b + k * n + j]!;
      view.setUint32((i * n + j) * 4, sum >>> 0, true);
    }
  }
  return output;
}
