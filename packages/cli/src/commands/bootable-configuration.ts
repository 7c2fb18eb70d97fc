import { checkPlatformConstraints, parseNovaCmdline, type Platform } from "@novakit/kernel-core";
import type { PreparedConfiguration } from "../config/prepare-configuration.js";
import { contentHash } from "../output/canonical-json.js";
import { toJsonValue, type JsonValue } from "../output/json-value.js";
import { novaMakeFlags } from "./cet-platform-check.js";

export const BOOTABLE_FORMAT = "novakit.bootable/1";

const pciName = (f: Platform["pci"][number]): string =>
  `${f.segment.toString(16).padStart(4, "0")}:${f.bus.toString(16).padStart(2, "0")}:${f.device.toString(16).padStart(2, "0")}.${f.function}`;

/** The parts of the Platform a person checks before booting; the full tables stay in the profile. */
export function platformSummary(platform: Platform): JsonValue {
  const ramBytes = platform.memory.filter((region) => region.kind === "ram").reduce((sum, region) => sum + region.size, 0n);
  return toJsonValue({
    name: platform.name,
    arch: platform.arch,
    cpu: { vendor: platform.cpu.vendor, name: platform.cpu.name, features: [...platform.cpu.features].sort() },
    cpus: platform.cpus.filter((cpu) => cpu.enabled).length,
    ramBytes,
    pci: platform.pci.map((f) => ({ address: pciName(f), name: f.name, dmaCapable: f.dmaCapable })),
    iommus: platform.iommus.map((unit) => ({ kind: unit.kind, baseAddress: unit.baseAddress, segment: unit.segment })),
    firmware: { kind: platform.firmware.kind, tables: platform.firmware.tables.map((table) => table.signature) },
  });
}

/**
 * The bootable configuration: the validated configuration, the plugins in registration order
 * with versions and parsed options, the platform summary and NOVA's command line. Every value is
 * derived from the inputs only (no paths, no time), so the same configuration gives the same
 * bytes and the same `hash` (sha256 of the canonical JSON of everything but the hash).
 */
export function bootableConfiguration(prepared: PreparedConfiguration, platform: Platform): JsonValue {
  checkPlatformConstraints(prepared.plugins, platform);
  const cmdline = parseNovaCmdline(prepared.config.cmdline ?? "");
  const body = {
    format: BOOTABLE_FORMAT,
    name: prepared.config.name ?? null,
    arch: prepared.config.arch,
    configuration: toJsonValue(prepared.config),
    plugins: prepared.plugins.map((resolved) => ({
      name: resolved.plugin.name,
      version: resolved.plugin.version,
      kind: resolved.plugin.kind,
      options: toJsonValue(resolved.options),
    })),
    platform: platformSummary(platform),
    cmdline: { text: cmdline.tokens.join(" "), options: [...cmdline.options], ignoredTokens: [...cmdline.unknownTokens] },
    /** how to build the NOVA image for this configuration: `make ARCH=... CFP=...` */
    makeFlags: novaMakeFlags(prepared, platform),
  };
  const json = toJsonValue(body);
  return { ...(json as { [key: string]: JsonValue }), hash: contentHash(json) };
}
