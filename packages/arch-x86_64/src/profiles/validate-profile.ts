import type { MemoryRegion } from "@novakit/kernel-core";
import { ProfileDiagnostic, profileError } from "./profile-diagnostics.js";
import type { X86CpuModel } from "./x86-cpu-model.js";

/**
 * Consistency rules of an x86 CPU model (paging.md §2.1): MAXPHYADDR is at most 52; the linear
 * address width is 48, or 57 only with LA57.
 */
export function validateCpuModel(cpu: X86CpuModel, file: string): void {
  if (cpu.vendor !== "amd" && cpu.vendor !== "intel") {
    throw profileError(ProfileDiagnostic.CPU_MODEL, `x86 CPU vendor must be "amd" or "intel", not "${cpu.vendor}"`, { file, field: "cpu.vendor" });
  }
  if (!Number.isInteger(cpu.physicalAddressBits) || cpu.physicalAddressBits < 32 || cpu.physicalAddressBits > 52) {
    throw profileError(ProfileDiagnostic.CPU_MODEL, `physicalAddressBits ${cpu.physicalAddressBits} is outside 32..52`, { file, field: "cpu.physicalAddressBits" });
  }
  const la57 = cpu.features.includes("LA57");
  if (cpu.virtualAddressBits !== 48 && cpu.virtualAddressBits !== 57) {
    throw profileError(ProfileDiagnostic.CPU_MODEL, `virtualAddressBits must be 48 or 57, not ${cpu.virtualAddressBits}`, { file, field: "cpu.virtualAddressBits" });
  }
  if (cpu.virtualAddressBits === 57 && !la57) {
    throw profileError(ProfileDiagnostic.CPU_MODEL, "virtualAddressBits 57 needs the LA57 feature", { file, field: "cpu.virtualAddressBits" }, 'add "LA57" to cpu.features or use 48');
  }
  if (cpu.features.includes("VMX") && cpu.vendor !== "intel") {
    throw profileError(ProfileDiagnostic.CPU_MODEL, "VMX is an Intel feature; an AMD CPU has SVM", { file, field: "cpu.features" });
  }
  if (cpu.features.includes("SVM") && cpu.vendor !== "amd") {
    throw profileError(ProfileDiagnostic.CPU_MODEL, "SVM is an AMD feature; an Intel CPU has VMX", { file, field: "cpu.features" });
  }
}

/** Regions must be non-empty and must not overlap (sorted by base, checked pairwise). */
export function validateMemoryMap(memory: readonly MemoryRegion[], file: string): void {
  const sorted = memory.map((region, index) => ({ region, index })).sort((a, b) => (a.region.base < b.region.base ? -1 : a.region.base > b.region.base ? 1 : 0));
  let previous: { region: MemoryRegion; index: number } | undefined;
  for (const entry of sorted) {
    if (entry.region.size === 0n) {
      throw profileError(ProfileDiagnostic.MEMORY_MAP, `memory region ${entry.index} is empty`, { file, field: `memory[${entry.index}].size` });
    }
    if (previous !== undefined && previous.region.base + previous.region.size > entry.region.base) {
      throw profileError(ProfileDiagnostic.MEMORY_MAP, `memory regions ${previous.index} and ${entry.index} overlap`, { file, field: `memory[${entry.index}].base` });
    }
    previous = entry;
  }
}
