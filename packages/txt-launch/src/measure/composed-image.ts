import type { NovakitConfig } from "@novakit/kernel-core";
import { buildElf64 } from "../elf/build-elf64.js";
import { PF_R, PF_W, PF_X } from "../elf/elf64.js";
import { encodeMleHeader, MLE_HEADER_LENGTH, NOVA_MLE_CAPABILITIES, NOVA_MLE_HEADER_VERSION } from "../txt/mle-header.js";
import { canonicalJson } from "./canonical-json.js";

/** A plugin of the composed image: what the kernel resolved, in registration order. */
export interface ImagePlugin {
  readonly name: string;
  readonly version: string;
  /** the options after the plugin's schema applied its defaults */
  readonly options: unknown;
}

/** The package name of this plugin: its own options choose how to measure, not what runs, so they are left out of the image. */
export const TXT_LAUNCH_PLUGIN_NAME = "@novakit/txt-launch";
const TEXT_BASE = 0x40_0000n;
const ENTRY_OFFSET = 0x40;

/**
 * The canonical description of the hypervisor a configuration composes: format tag, arch,
 * platform, the NOVA command line, and every resolved plugin with its version and options (the
 * measured-launch plugin's own options excluded). UTF-8 of canonical JSON (sorted keys, no
 * whitespace). This is what stands in for NOVA's .text/.rodata: change a plugin, a version, an
 * option or the command line and the MLE hash changes, as NOVA's does when its command line
 * changes (nova.md §6.1 "LIM ≠ RIM if the bootloader passes options").
 */
export function hypervisorImageText(config: NovakitConfig, plugins: readonly ImagePlugin[]): string {
  return canonicalJson({
    format: "novakit-hypervisor-image/1",
    arch: config.arch,
    platform: config.platform,
    cmdline: config.cmdline ?? "",
    plugins: plugins.map((plugin) => ({ name: plugin.name, version: plugin.version, options: plugin.name === TXT_LAUNCH_PLUGIN_NAME ? {} : (plugin.options ?? {}) })),
  });
}

/** The root task's configuration: the domains it builds (the root task is what NOVA measures into PCR 19). */
export function rootImageText(config: NovakitConfig): string {
  return canonicalJson({ format: "novakit-root-image/1", domains: config.domains });
}

/**
 * The composed hypervisor as a NOVA-shaped ELF: one R+X PT_LOAD that starts with the MLE header
 * (version 0x20003, MleStart 0, MleEnd = the segment's size, caps 0x7FF, no command-line range:
 * NOVA's values, nova.md §6.1) followed by the canonical image text, then an RW data segment
 * that is not measured. Measured through mleImageFromElf like a real hypervisor-x86_64.
 */
export function hypervisorElf(imageText: string): Uint8Array {
  const text = new TextEncoder().encode(imageText);
  const measuredLength = ENTRY_OFFSET + text.length;
  const header = encodeMleHeader({
    version: NOVA_MLE_HEADER_VERSION,
    entryPoint: ENTRY_OFFSET,
    firstValidPage: 0,
    mleStart: 0,
    mleEnd: measuredLength,
    capabilities: NOVA_MLE_CAPABILITIES,
    cmdlineStart: 0,
    cmdlineEnd: 0,
  });
  const code = new Uint8Array(measuredLength);
  code.set(header, 0);
  code.fill(0x90, MLE_HEADER_LENGTH, ENTRY_OFFSET); // nops up to the entry point
  code.set(text, ENTRY_OFFSET);
  return buildElf64(TEXT_BASE + BigInt(ENTRY_OFFSET), [
    { flags: PF_R | PF_X, vaddr: TEXT_BASE, contents: code },
    { flags: PF_R | PF_W, vaddr: TEXT_BASE + 0x100_0000n, contents: new Uint8Array(64), bssSize: 0x1000 },
  ]);
}

/** The root task as an ELF: its first (read-only, executable) PT_LOAD holds the ELF headers and the root image text. */
export function rootElf(imageText: string): Uint8Array {
  const text = new TextEncoder().encode(imageText);
  return buildElf64(0x1000_0000n, [
    { flags: PF_R | PF_X, vaddr: 0x1000_0000n, contents: text, includeHeaders: true },
    { flags: PF_R | PF_W, vaddr: 0x1100_0000n, contents: new Uint8Array(64), bssSize: 0x1000 },
  ]);
}
