import { z } from "zod";
import type { NovakitConfig } from "@novakit/kernel-core";
import { CONFIG_CODES } from "./config-codes.js";

/**
 * The zod schema of NovakitConfig (kernel-core's type). Every object is strict: an unknown key
 * is an error, because a misspelt key that is silently ignored is the worst kind of config bug.
 * Cross-field rules (unique domain names, a device in one domain only) are checked here too;
 * rules that need the Platform (CPU indices, devices present) are in platform-checks.ts.
 */

/** "SSSS:BB:DD.F" or "BB:DD.F": hex segment, bus, device 0..1f, function 0..7 (PCI). */
export const PCI_DEVICE_PATTERN = /^(?:[0-9a-fA-F]{4}:)?[0-9a-fA-F]{2}:[01][0-9a-fA-F]\.[0-7]$/;
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The custom-issue payload that carries our own diagnostic code through zod. */
interface CodedIssueParams {
  readonly code: string;
}

function integerIn(min: number, max: number) {
  const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
  return z
    .number({ error: "expected a number" })
    .int({ error: "expected an integer" })
    .min(min, { error: `must be ${range}` })
    .max(max, { error: `must be ${range}` });
}

const objectRecord = z.record(z.string(), z.unknown(), { error: "expected an object" });

const pluginReferenceSchema = z.union([
  z.string().min(1, { error: "expected a package name or path" }),
  z.strictObject({
    name: z.string().min(1, { error: "expected a package name or path" }),
    options: objectRecord.optional(),
    enabled: z.boolean().optional(),
  }),
]);

const domainSchema = z.strictObject({
  name: z.string().regex(NAME_PATTERN, { error: "must start with a letter or digit and contain only letters, digits, '.', '_' and '-'" }),
  kind: z.enum(["native", "vm"], { error: 'expected "native" or "vm"' }),
  memoryMiB: integerIn(1, 1 << 20),
  vcpus: integerIn(1, 256),
  cpus: z.array(integerIn(0, 4095)).min(1, { error: "must list at least one CPU" }).optional(),
  priority: integerIn(1, 127),
  budgetMs: integerIn(1, 65535),
  devices: z
    .array(
      z.string({ error: "expected a string" }).refine((device) => PCI_DEVICE_PATTERN.test(device), {
        error: 'expected a PCI function "SSSS:BB:DD.F" or "BB:DD.F" (hex; device 00..1f, function 0..7)',
        params: { code: CONFIG_CODES.badDevice } satisfies CodedIssueParams,
      }),
    )
    .optional(),
  workload: z.string().min(1, { error: "expected a workload name" }),
  workloadOptions: objectRecord.optional(),
});

export const novakitConfigSchema = z
  .strictObject({
    name: z.string().optional(),
    arch: z.enum(["x86_64", "aarch64"], { error: 'expected "x86_64" or "aarch64"' }),
    platform: z.string().min(1, { error: "expected a platform profile name or path" }),
    plugins: z.array(pluginReferenceSchema).optional(),
    cmdline: z.string().optional(),
    domains: z.array(domainSchema),
    seed: integerIn(0, 0xffff_ffff).optional(),
    durationMs: integerIn(1, 3_600_000).optional(),
  })
  .superRefine((config, context) => {
    const domainByName = new Map<string, number>();
    const domainByDevice = new Map<string, number>();
    config.domains.forEach((domain, index) => {
      const earlier = domainByName.get(domain.name);
      if (earlier !== undefined) {
        context.addIssue({
          code: "custom",
          path: ["domains", index, "name"],
          message: `duplicate domain name "${domain.name}" (also domains[${earlier}])`,
          params: { code: CONFIG_CODES.duplicateDomain } satisfies CodedIssueParams,
        });
      }
      domainByName.set(domain.name, index);
      (domain.devices ?? []).forEach((device, deviceIndex) => {
        const key = normalizePciDevice(device);
        const owner = domainByDevice.get(key);
        if (owner !== undefined && owner !== index) {
          context.addIssue({
            code: "custom",
            path: ["domains", index, "devices", deviceIndex],
            message: `device ${key} is already assigned to domains[${owner}]`,
            params: { code: CONFIG_CODES.deviceTwice } satisfies CodedIssueParams,
          });
        }
        domainByDevice.set(key, index);
      });
    });
  });

/** "BB:DD.F" → "0000:BB:DD.F", lower case: one spelling per PCI function. */
export function normalizePciDevice(device: string): string {
  const full = device.length === 7 ? `0000:${device}` : device;
  return full.toLowerCase();
}

// Type-level check that schema and contract stay in sync: what the schema produces is a
// NovakitConfig, and every NovakitConfig is accepted as schema input. A field added to one but
// not the other fails the typecheck here.
type DeepMutable<T> = T extends readonly (infer Item)[]
  ? DeepMutable<Item>[]
  : T extends object
    ? { -readonly [Key in keyof T]: DeepMutable<T[Key]> }
    : T;
type SchemaOutput = z.output<typeof novakitConfigSchema>;
type SchemaInput = z.input<typeof novakitConfigSchema>;
export const schemaMatchesContract: [SchemaOutput extends NovakitConfig ? true : false, DeepMutable<NovakitConfig> extends SchemaInput ? true : false, keyof SchemaOutput extends keyof NovakitConfig ? true : false, keyof NovakitConfig extends keyof SchemaOutput ? true : false] = [true, true, true, true];
