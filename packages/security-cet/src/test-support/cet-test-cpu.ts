import {
  createKernelHooks,
  FrameAllocator,
  NovakitError,
  PhysicalMemory,
  RadixPageTable,
  testingPageTableFormat,
  type CpuState,
  type KernelServices,
  type PageTableFormat,
} from "@novakit/kernel-core";
import { CetCpu } from "../control-flow/cet-cpu.js";
import { HypervisorImage } from "../control-flow/hypervisor-image.js";
import { CetMsr, CR0_WP, CR4_CET, supervisorCetValue } from "../msr/cet-registers.js";
import { SHADOW_STACK_TOP } from "../shadow-stack/shadow-stack-layout.js";
import { createShadowStackPage, type ShadowStackPage } from "../shadow-stack/shadow-stack-page.js";

const MIB = 1n << 20n;

/** A KernelServices with just the memory parts real: physical memory, frames and kernel page tables. */
export function memoryOnlyKernel(format: PageTableFormat = testingPageTableFormat, log: string[] = [], parts: { readonly frames?: boolean; readonly pageTables?: boolean } = {}): KernelServices {
  const memory = new PhysicalMemory();
  const frames = new FrameAllocator([{ base: 16n * MIB, size: 16n * MIB }]);
  return {
    hooks: createKernelHooks(),
    get platform(): never {
      throw new NovakitError("NK-TEST-001", "no platform in this unit test");
    },
    log: (line) => log.push(line),
    nowNs: () => 0,
    randomU32: () => 0,
    cmdlineOption: () => false,
    physicalMemory: memory,
    allocateKernelFrames: (count, alignment) => (parts.frames === false ? undefined : frames.allocateContiguous(count, alignment)),
    ...(parts.pageTables === false ? {} : { createKernelPageTable: () => new RadixPageTable(format, frames, memory) }),
  };
}

export function cpuState(index = 0): CpuState {
  return {
    cpu: { index, hardwareId: index, enabled: true, source: "unit test" },
    controlRegisters: new Map([["CR0", CR0_WP | 1n]]),
    msrs: new Map(),
  };
}

export interface TestCetCpu {
  readonly cpu: CetCpu;
  readonly image: HypervisorImage;
  readonly page: ShadowStackPage;
  readonly kernel: KernelServices;
}

/**
 * A CPU as user mode finds it: CR4.CET and the S_CET value of the given protections, IA32_PL0_SSP
 * at the shadow-stack page's free token, SSP 0. `log` collects the kernel's log lines.
 */
export function testCetCpu(live: { readonly ibt: boolean; readonly sss: boolean }, log: string[] = []): TestCetCpu {
  const kernel = memoryOnlyKernel(testingPageTableFormat, log);
  const state = cpuState();
  const page = createShadowStackPage(kernel, 0);
  const image = new HypervisorImage(live);
  const cpu = new CetCpu(state, image, page);
  const sCet = supervisorCetValue(live);
  if (sCet !== 0n) state.controlRegisters.set("CR4", CR4_CET);
  state.msrs.set(CetMsr.IA32_S_CET, sCet);
  state.msrs.set(CetMsr.IA32_PL0_SSP, SHADOW_STACK_TOP);
  return { cpu, image, page, kernel };
}
