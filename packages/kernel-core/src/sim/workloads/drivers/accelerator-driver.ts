import { createHash } from "node:crypto";
import {
  ACCELERATOR_COMPLETION_BYTES,
  ACCELERATOR_DESCRIPTOR_BYTES,
  AcceleratorOpcode,
  AcceleratorStatusCode,
  decodeAcceleratorCompletion,
  encodeAcceleratorJob,
  matrixProductU8,
} from "../../devices/accelerator-job.js";
import type { AcceleratorHandle, DomainMemoryView } from "../../devices/device-api.js";
import { CPU_COPY_NS_PER_BYTE } from "../../devices/device-timing.js";
import type { UserlandApi } from "../../workload.js";
import type { BufferArena } from "./buffer-arena.js";

export interface AcceleratorJobOutcome {
  /** the device reported "done", its completion record in memory says so, and the output is right */
  readonly ok: boolean;
  readonly status: string;
  readonly inputBytes: number;
  readonly outputBytes: number;
}

/**
 * The driver side of the model accelerator: it writes the input and the 64-byte descriptor into
 * its own memory, rings the doorbell, then checks the completion record and the output in memory
 * against what the CPU computes itself.
 */
export class AcceleratorDriver {
  private readonly descriptor: bigint;
  private readonly completion: bigint;
  private readonly input: bigint;
  private readonly output: bigint;

  constructor(
    private readonly api: UserlandApi,
    private readonly device: AcceleratorHandle,
    private readonly memory: DomainMemoryView,
    arena: BufferArena,
    private readonly maxInputBytes: number,
    private readonly maxOutputBytes: number,
  ) {
    this.descriptor = arena.take(ACCELERATOR_DESCRIPTOR_BYTES, 64);
    this.completion = arena.take(ACCELERATOR_COMPLETION_BYTES, 16);
    this.input = arena.take(maxInputBytes);
    this.output = arena.take(maxOutputBytes);
  }

  /** SHA-256 of `input` on the device */
  sha256(input: Uint8Array): Promise<AcceleratorJobOutcome> {
    return this.run(AcceleratorOpcode.SHA256, 0, input, new Uint8Array(createHash("sha256").update(input).digest()));
  }

  /** product of the two n x n u8 matrices in `input` (A then B) on the device */
  matrixProduct(input: Uint8Array, n: number): Promise<AcceleratorJobOutcome> {
    return this.run(AcceleratorOpcode.MATMUL_U8, n, input, matrixProductU8(input, n));
  }

  private async run(opcode: number, dimension: number, input: Uint8Array, expected: Uint8Array): Promise<AcceleratorJobOutcome> {
    if (input.length > this.maxInputBytes || expected.length > this.maxOutputBytes) {
      return { ok: false, status: "driver-buffer-too-small", inputBytes: input.length, outputBytes: 0 };
    }
    this.memory.write(this.input, input);
    this.memory.write(this.completion, new Uint8Array(ACCELERATOR_COMPLETION_BYTES));
    this.memory.write(
      this.descriptor,
      encodeAcceleratorJob({
        opcode,
        dimension,
        input: this.input,
        inputLength: BigInt(input.length),
        output: this.output,
        outputCapacity: BigInt(this.maxOutputBytes),
        completion: this.completion,
      }),
    );
    // the CPU filled the input and computes the reference result
    await this.api.compute((input.length + expected.length) * CPU_COPY_NS_PER_BYTE);
    const completion = await this.device.submit(this.descriptor);
    const record = decodeAcceleratorCompletion(this.memory.read(this.completion, ACCELERATOR_COMPLETION_BYTES));
    const output = this.memory.read(this.output, expected.length);
    const ok =
      completion.status === "done" &&
      record.status === AcceleratorStatusCode.done &&
      record.sequence === completion.sequence &&
      record.bytesWritten === BigInt(expected.length) &&
      Buffer.from(output).equals(Buffer.from(expected));
    return { ok, status: completion.status, inputBytes: input.length, outputBytes: completion.outputBytes };
  }
}
