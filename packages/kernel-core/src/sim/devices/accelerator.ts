import { createHash } from "node:crypto";
import type { AcceleratorCompletion, AcceleratorStatus } from "./device-api.js";
import {
  ACCELERATOR_DESCRIPTOR_BYTES,
  ACCELERATOR_MAX_INPUT_BYTES,
  AcceleratorOpcode,
  AcceleratorStatusCode,
  decodeAcceleratorJob,
  encodeAcceleratorCompletion,
  matrixProductU8,
} from "./accelerator-job.js";
import { DeviceTiming } from "./device-timing.js";
import type { DmaEngine } from "./dma-engine.js";

/**
 * A processing accelerator (class 12h): a job is fetched by DMA (descriptor), its input read by
 * DMA, a deterministic function computed (SHA-256, or a u8 matrix product), the output written
 * by DMA and, last, the completion record (accelerator-job.ts has the layouts). Any aborted DMA
 * ends the job with an error status, as a device that got a Completer Abort does.
 */
export class AcceleratorDevice {
  readonly kind = "accelerator" as const;
  private sequence = 0;

  constructor(readonly engine: DmaEngine) {}

  submit(descriptorAddress: bigint): AcceleratorCompletion {
    const sequence = ++this.sequence;
    let costNs = 0;
    const finish = (status: AcceleratorStatus, outputBytes: number, completion: bigint | undefined): AcceleratorCompletion => {
      if (completion !== undefined) {
        const record = this.engine.write(completion, encodeAcceleratorCompletion(AcceleratorStatusCode[status], sequence, outputBytes));
        costNs += record.costNs;
      }
      return { status, sequence, outputBytes, costNs };
    };
    const fetched = this.engine.read(descriptorAddress, ACCELERATOR_DESCRIPTOR_BYTES);
    costNs += fetched.costNs;
    // without its descriptor the device does not know where the completion record goes
    if (fetched.aborted > 0) return finish("descriptor-dma-error", 0, undefined);
    const job = decodeAcceleratorJob(fetched.data!);
    if (job.opcode !== AcceleratorOpcode.SHA256 && job.opcode !== AcceleratorOpcode.MATMUL_U8) return finish("bad-opcode", 0, job.completion);
    const n = job.dimension;
    const lengthOk =
      job.inputLength <= BigInt(ACCELERATOR_MAX_INPUT_BYTES) &&
      (job.opcode === AcceleratorOpcode.SHA256 || (n > 0 && n <= 1024 && job.inputLength === BigInt(2 * n * n)));
    if (!lengthOk) return finish("bad-length", 0, job.completion);
    const input = this.engine.read(job.input, Number(job.inputLength));
    costNs += input.costNs;
    if (input.aborted > 0) return finish("input-dma-error", 0, job.completion);
    let output: Uint8Array;
    if (job.opcode === AcceleratorOpcode.SHA256) {
      output = new Uint8Array(createHash("sha256").update(input.data!).digest());
      costNs += input.data!.length * DeviceTiming.SHA256_NS_PER_BYTE;
    } else {
      output = matrixProductU8(input.data!, n);
      costNs += n * n * n * DeviceTiming.MATMUL_NS_PER_MAC;
    }
    if (BigInt(output.length) > job.outputCapacity) return finish("output-too-small", 0, job.completion);
    const written = this.engine.write(job.output, output);
    costNs += written.costNs;
    if (written.aborted > 0) return finish("output-dma-error", 0, job.completion);
    return finish("done", output.length, job.completion);
  }
}
