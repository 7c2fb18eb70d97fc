import type { CpuFeature, CpuModel } from "@novakit/kernel-core";
import { a64Error, A64Diagnostic } from "../a64-diagnostics.js";

/**
 * ID-register facts of a core, which a device tree does not carry. The QEMU `virt` DTBs in
 * fixtures/ with EL2 were dumped with `-cpu cortex-a57` (reference/platform.md §7.2; their cpu
 * nodes say "arm,cortex-a57"), so the model is QEMU's cortex-a57: MIDR_EL1 0x411FD070 (implementer 0x41
 * Arm, variant 1, part 0xD07, revision 0: r1p0) and ID_AA64MMFR0_EL1 0x00001124, whose
 * PARange 4 means 44 physical address bits (paging.md §3.6 PARange encoding); TGran4 supported,
 * no FEAT_LPA2 (so no 52-bit addresses with 4 KiB granules), 48-bit VA.
 * `-cpu max` would advertise LPA2, but no fixture was made with it, so it is not modelled.
 */
export interface ArmCoreFacts {
  readonly compatible: string;
  readonly name: string;
  readonly midr: number;
  readonly idAa64mmfr0: bigint;
  /** FEAT_LPA2 (ID_AA64MMFR0_EL1.TGran4 = 1) */
  readonly lpa2: boolean;
}

export const CORTEX_A57: ArmCoreFacts = Object.freeze({
  compatible: "arm,cortex-a57",
  name: "Arm Cortex-A57 r1p0 (QEMU cortex-a57)",
  midr: 0x411f_d070,
  idAa64mmfr0: 0x0000_1124n,
  lpa2: false,
});

/**
 * QEMU's cortex-a72 (the SMMUv3 fixture was dumped with it): MIDR_EL1 0x410FD083 (r0p3),
 * ID_AA64MMFR0_EL1 0x00001124 (PARange 4: 44 bits), no LPA2.
 */
export const CORTEX_A72: ArmCoreFacts = Object.freeze({
  compatible: "arm,cortex-a72",
  name: "Arm Cortex-A72 r0p3 (QEMU cortex-a72)",
  midr: 0x410f_d083,
  idAa64mmfr0: 0x0000_1124n,
  lpa2: false,
});

export const KNOWN_CORES: readonly ArmCoreFacts[] = Object.freeze([CORTEX_A57, CORTEX_A72]);

/** paging.md §3.6: PARange / PS encoding -> bits (7 = 56 is marked unconfirmed there). */
const PA_RANGE_BITS: readonly number[] = [32, 36, 40, 42, 44, 48, 52, 56];

export function physicalAddressBitsOf(idAa64mmfr0: bigint): number {
  const bits = PA_RANGE_BITS[Number(idAa64mmfr0 & 0xfn)];
  if (bits === undefined) throw a64Error(A64Diagnostic.BAD_VALUE, `ID_AA64MMFR0_EL1.PARange ${idAa64mmfr0 & 0xfn} is reserved`);
  return bits;
}

/** The PS/IPS/PARange code of an address width (inverse of physicalAddressBitsOf). */
export function paRangeCodeOf(bits: number): number {
  const code = PA_RANGE_BITS.indexOf(bits);
  if (code < 0) throw a64Error(A64Diagnostic.BAD_GEOMETRY, `${bits} bits is not a PARange width (${PA_RANGE_BITS.join(", ")})`);
  return code;
}

export function coreFactsOf(compatibles: readonly string[], where: { readonly file: string; readonly field: string }): ArmCoreFacts {
  const core = KNOWN_CORES.find((candidate) => compatibles.includes(candidate.compatible));
  if (core === undefined) {
    throw a64Error(
      A64Diagnostic.UNKNOWN_CPU,
      `CPU compatible [${compatibles.join(", ")}] names no core this model has ID-register facts for`,
      where,
      `known cores: ${KNOWN_CORES.map((candidate) => candidate.compatible).join(", ")}`,
    );
  }
  return core;
}

/**
 * The kernel-core CpuModel: family = architecture (8 = Armv8), model = MIDR PartNum, stepping =
 * MIDR Variant << 4 | Revision. Features: EL2 when the tree was made with virtualization=on,
 * GICV3_SYSREG with a GICv3 (QEMU gives any core the ICC_* system registers then), LPA2 from
 * the core's ID registers.
 */
export function armCpuModel(core: ArmCoreFacts, options: { readonly el2: boolean; readonly gicVersion: 2 | 3 }): CpuModel {
  const features: CpuFeature[] = [];
  if (options.el2) features.push("EL2");
  if (core.lpa2) features.push("LPA2");
  if (options.gicVersion === 3) features.push("GICV3_SYSREG");
  return {
    vendor: "arm",
    name: core.name,
    family: 8,
    model: (core.midr >>> 4) & 0xfff,
    stepping: (((core.midr >>> 20) & 0xf) << 4) | (core.midr & 0xf),
    features,
    physicalAddressBits: physicalAddressBitsOf(core.idAa64mmfr0),
    virtualAddressBits: core.lpa2 ? 52 : 48,
  };
}
