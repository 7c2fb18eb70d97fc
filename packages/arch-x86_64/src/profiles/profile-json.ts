import { readFileSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import type { CpuFeature } from "@novakit/kernel-core";
import { z } from "zod";
import type { PlatformProfile } from "./platform-profile.js";
import { ProfileDiagnostic, profileError } from "./profile-diagnostics.js";
import { validateCpuModel, validateMemoryMap } from "./validate-profile.js";

/**
 * The JSON form of a platform profile (format "novakit-platform-profile/1"). 64-bit values
 * (addresses, sizes) are "0x..." strings because JSON numbers lose precision above 2^53;
 * `firmwareTables` is relative to the profile file.
 */
export const PROFILE_FORMAT = "novakit-platform-profile/1";

const hex64 = z.string().regex(/^0x[0-9a-fA-F]{1,16}$/, 'a 64-bit value as a "0x..." string');
const X86_FEATURES = ["VMX", "SVM", "SMX", "NX", "PDPE1GB", "LA57", "PCID", "X2APIC", "CET_SS", "CET_IBT", "CET_SSS", "TSC_DEADLINE"] as const;
const featureSchema = z.enum(X86_FEATURES) satisfies z.ZodType<CpuFeature>;
const pciAddress = z.string().regex(/^([0-9a-fA-F]{4}:)?[0-9a-fA-F]{2}:[0-1][0-9a-fA-F]\.[0-7]$/, 'a PCI address "SSSS:BB:DD.F" or "BB:DD.F"');

const profileSchema = z
  .object({
    format: z.literal(PROFILE_FORMAT),
    name: z.string().min(1),
    description: z.string(),
    cpu: z
      .object({
        vendor: z.enum(["amd", "intel"]),
        name: z.string().min(1),
        family: z.number().int().min(0),
        model: z.number().int().min(0),
        stepping: z.number().int().min(0).max(15),
        features: z.array(featureSchema),
        physicalAddressBits: z.number().int(),
        virtualAddressBits: z.number().int(),
        qos: z
          .object({
            l3Cat: z.boolean(),
            l2Cat: z.boolean(),
            l3Cdp: z.boolean(),
            l2Cdp: z.boolean(),
            mba: z.boolean(),
            classesOfService: z.number().int().min(1).max(65536),
            l3CbmBits: z.number().int().min(0).max(32),
            l2CbmBits: z.number().int().min(0).max(32),
            mbaMaxDelay: z.number().int().min(0).max(65535),
          })
          .strict()
          .optional(),
      })
      .strict(),
    memory: z.array(
      z.object({ base: hex64, size: hex64, kind: z.enum(["ram", "reserved", "acpi", "nvs", "mmio", "kernel"]) }).strict(),
    ),
    pci: z.array(
      z
        .object({
          address: pciAddress,
          name: z.string(),
          classCode: z.string().regex(/^0x[0-9a-fA-F]{1,6}$/).optional(),
          dmaCapable: z.boolean(),
        })
        .strict(),
    ),
    firmwareTables: z.string().min(1),
    notes: z.array(z.string()).optional(),
  })
  .strict();
export type PlatformProfileJson = z.infer<typeof profileSchema>;

/** Parse the JSON text of a profile; `file` is used for messages and relative paths. */
export function parseProfileJson(text: string, file: string): PlatformProfile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw profileError(ProfileDiagnostic.JSON_SYNTAX, `profile is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, { file });
  }
  const result = profileSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue === undefined ? "" : issue.path.map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`)).join("").replace(/^\./, "");
    throw profileError(ProfileDiagnostic.SCHEMA, `profile field ${field || "(root)"}: ${issue?.message ?? "invalid"}`, { file, field });
  }
  const json = result.data;
  const profile: PlatformProfile = {
    name: json.name,
    description: json.description,
    cpu: { ...json.cpu, features: [...json.cpu.features] },
    memory: json.memory.map((region) => ({ base: BigInt(region.base), size: BigInt(region.size), kind: region.kind })),
    pci: json.pci.map((entry) => ({ ...parsePciAddress(entry.address), name: entry.name, dmaCapable: entry.dmaCapable, ...(entry.classCode !== undefined ? { classCode: Number.parseInt(entry.classCode, 16) } : {}) })),
    firmwareTables: isAbsolute(json.firmwareTables) ? json.firmwareTables : resolve(dirname(file), json.firmwareTables),
    ...(json.notes !== undefined ? { notes: json.notes } : {}),
  };
  validateCpuModel(profile.cpu, file);
  validateMemoryMap(profile.memory, file);
  return profile;
}

/** Read a profile JSON file. */
export function loadProfile(path: string): PlatformProfile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw profileError(ProfileDiagnostic.UNREADABLE, `cannot read profile: ${error instanceof Error ? error.message : String(error)}`, { file: path });
  }
  return parseProfileJson(text, path);
}

/**
 * The JSON text of a profile (stable key order, 2-space indent, trailing newline).
 * `profileDir`: where the file will be written, so `firmwareTables` is stored relative to it.
 */
export function saveProfile(profile: PlatformProfile, profileDir?: string): string {
  const json: PlatformProfileJson = {
    format: PROFILE_FORMAT,
    name: profile.name,
    description: profile.description,
    cpu: {
      vendor: profile.cpu.vendor === "intel" ? "intel" : "amd",
      name: profile.cpu.name,
      family: profile.cpu.family,
      model: profile.cpu.model,
      stepping: profile.cpu.stepping,
      features: profile.cpu.features.filter((feature): feature is (typeof X86_FEATURES)[number] => (X86_FEATURES as readonly string[]).includes(feature)),
      physicalAddressBits: profile.cpu.physicalAddressBits,
      virtualAddressBits: profile.cpu.virtualAddressBits,
      ...(profile.cpu.qos !== undefined ? { qos: { ...profile.cpu.qos } } : {}),
    },
    memory: profile.memory.map((region) => ({ base: toHex(region.base), size: toHex(region.size), kind: region.kind })),
    pci: profile.pci.map((entry) => ({
      address: formatPciAddress(entry.segment, entry.bus, entry.device, entry.function),
      name: entry.name,
      ...(entry.classCode !== undefined ? { classCode: `0x${entry.classCode.toString(16).padStart(6, "0")}` } : {}),
      dmaCapable: entry.dmaCapable,
    })),
    firmwareTables: profileDir === undefined ? profile.firmwareTables : relative(profileDir, profile.firmwareTables) || ".",
    ...(profile.notes !== undefined ? { notes: [...profile.notes] } : {}),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

function toHex(value: bigint): string {
  return `0x${value.toString(16)}`;
}

export function formatPciAddress(segment: number, bus: number, device: number, fn: number): string {
  const h = (value: number, width: number): string => value.toString(16).padStart(width, "0");
  return `${h(segment, 4)}:${h(bus, 2)}:${h(device, 2)}.${fn}`;
}

function parsePciAddress(text: string): { segment: number; bus: number; device: number; function: number } {
  const parts = text.split(/[:.]/).map((part) => Number.parseInt(part, 16));
  const [segment, bus, device, fn] = parts.length === 4 ? parts : [0, ...parts];
  return { segment: segment ?? 0, bus: bus ?? 0, device: device ?? 0, function: fn ?? 0 };
}
