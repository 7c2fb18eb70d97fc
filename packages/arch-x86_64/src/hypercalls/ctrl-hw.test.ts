import { Status, type HypercallInvocation } from "@novakit/kernel-core";
import { describe, expect, it } from "vitest";
import { parseFadt, type Fadt } from "../acpi/fadt.js";
import { EPYC_GENOA_CPU } from "../profiles/epyc-genoa-cpu.js";
import type { X86CpuModel } from "../profiles/x86-cpu-model.js";
import { fixChecksum, qemuTable } from "../test-support/fixtures.js";
import { CtrlHwOp } from "@novakit/kernel-core";
import { CtrlHwController, isContiguousMask } from "./ctrl-hw.js";

const QOS_CPU: X86CpuModel = {
  ...EPYC_GENOA_CPU,
  qos: { l3Cat: true, l2Cat: false, l3Cdp: true, l2Cdp: false, mba: true, classesOfService: 16, l3CbmBits: 16, l2CbmBits: 0, mbaMaxDelay: 90 },
};

function call(controller: CtrlHwController, op: number, desc: bigint, cpu = 0): number {
  const invocation: HypercallInvocation = { name: "ctrl_hw", flags: op, selector: desc, args: [], callerPd: 1, callerIsRoot: true, cpu };
  return controller.handle(invocation).status;
}

function fadtWithFlags(mutate: (bytes: Uint8Array) => void): Fadt {
  const bytes = new Uint8Array(qemuTable("FACP"));
  mutate(bytes);
  return parseFadt(fixChecksum(bytes), "FACP");
}

describe("ctrl_hw QoS (OP 4-7)", () => {
  it("enforces the order: OP 5-7 before OP 4 are ABORTED; OP 4 once per CPU", () => {
    const controller = new CtrlHwController({ fadt: undefined, cpu: QOS_CPU, log: () => undefined });
    expect(call(controller, CtrlHwOp.L3_CAT_MASK, (0xffn << 16n) | 1n)).toBe(Status.ABORTED);
    expect(call(controller, CtrlHwOp.MBA_DELAY, 10n << 16n)).toBe(Status.ABORTED);
    expect(call(controller, CtrlHwOp.QOS_CONFIG, 0b010n)).toBe(Status.SUCCESS);
    expect(call(controller, CtrlHwOp.QOS_CONFIG, 0n)).toBe(Status.ABORTED);
    // another CPU is configured separately
    expect(call(controller, CtrlHwOp.L3_CAT_MASK, 0xffn << 16n, 1)).toBe(Status.ABORTED);
    expect(call(controller, CtrlHwOp.QOS_CONFIG, 0n, 1)).toBe(Status.SUCCESS);
    expect(call(controller, CtrlHwOp.L3_CAT_MASK, (0x0ff0n << 16n) | 15n)).toBe(Status.SUCCESS);
    expect(call(controller, CtrlHwOp.MBA_DELAY, (90n << 16n) | 3n)).toBe(Status.SUCCESS);
  });

  it("BAD_FTR for features the CPU lacks, BAD_PAR for bad masks and COS", () => {
    const controller = new CtrlHwController({ fadt: undefined, cpu: QOS_CPU, log: () => undefined });
    expect(call(controller, CtrlHwOp.QOS_CONFIG, 0b100n)).toBe(Status.BAD_FTR); // no L2 CDP
    expect(call(controller, CtrlHwOp.QOS_CONFIG, 0n)).toBe(Status.SUCCESS);
    expect(call(controller, CtrlHwOp.L2_CAT_MASK, 1n << 16n)).toBe(Status.BAD_FTR);
    expect(call(controller, CtrlHwOp.L3_CAT_MASK, 16n | (1n << 16n))).toBe(Status.BAD_PAR); // COS 16 of 16
    expect(call(controller, CtrlHwOp.L3_CAT_MASK, 0b1011n << 16n)).toBe(Status.BAD_PAR); // not contiguous
    expect(call(controller, CtrlHwOp.L3_CAT_MASK, 0x1_0000n << 16n)).toBe(Status.BAD_PAR); // beyond 16 bits
    expect(call(controller, CtrlHwOp.L3_CAT_MASK, 0n)).toBe(Status.BAD_PAR); // empty
    expect(call(controller, CtrlHwOp.MBA_DELAY, 91n << 16n)).toBe(Status.BAD_PAR);
  });

  it("contiguous mask helper", () => {
    expect(isContiguousMask(0b0111_0000, 8)).toBe(true);
    expect(isContiguousMask(0x8000_0000, 32)).toBe(true);
    expect(isContiguousMask(0xffff_ffff, 32)).toBe(true);
    expect(isContiguousMask(0b101, 8)).toBe(false);
    expect(isContiguousMask(0x100, 8)).toBe(false);
  });
});

describe("ctrl_hw sleep (OP 0) against the FADT", () => {
  it("BAD_FTR without an FADT, on hardware-reduced ACPI, and for reset without RESET_REG_SUP", () => {
    expect(call(new CtrlHwController({ fadt: undefined, cpu: EPYC_GENOA_CPU, log: () => undefined }), 0, 3n)).toBe(Status.BAD_FTR);
    const reduced = fadtWithFlags((bytes) => (bytes[114] = (bytes[114] ?? 0) | 0x10)); // flags bit 20
    expect(reduced.hardwareReduced).toBe(true);
    expect(call(new CtrlHwController({ fadt: reduced, cpu: EPYC_GENOA_CPU, log: () => undefined }), 0, 3n)).toBe(Status.BAD_FTR);
    const noReset = fadtWithFlags((bytes) => (bytes[113] = (bytes[113] ?? 0) & ~0x04)); // flags bit 10
    expect(noReset.resetSupported).toBe(false);
    const controller = new CtrlHwController({ fadt: noReset, cpu: EPYC_GENOA_CPU, log: () => undefined });
    expect(call(controller, 0, 7n)).toBe(Status.BAD_FTR);
    expect(call(controller, 0, 1n)).toBe(Status.SUCCESS);
  });

  it("S1-S3 need a FACS (waking vector); S5 does not", () => {
    const noFacs = fadtWithFlags((bytes) => bytes.fill(0, 36, 40)); // FACS u32 = 0, X_FACS already 0
    expect(noFacs.facsAddress).toBe(0n);
    const controller = new CtrlHwController({ fadt: noFacs, cpu: EPYC_GENOA_CPU, log: () => undefined });
    expect(call(controller, 0, 3n)).toBe(Status.BAD_FTR);
    expect(call(controller, 0, 5n)).toBe(Status.SUCCESS);
  });

  it("reset succeeds once; a second transition is ABORTED", () => {
    const lines: string[] = [];
    const controller = new CtrlHwController({ fadt: parseFadt(qemuTable("FACP"), "FACP"), cpu: EPYC_GENOA_CPU, log: (line) => lines.push(line) });
    expect(call(controller, 0, 7n)).toBe(Status.SUCCESS);
    expect(lines).toEqual(["ACPI: CPU 0 platform reset via reset register 0xcf9 value 0xf"]);
    expect(call(controller, 0, 3n)).toBe(Status.ABORTED);
  });
});
