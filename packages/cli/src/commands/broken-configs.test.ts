import { describe, expect, it } from "vitest";
import { makeProject, runIn, smallConfig } from "../test-support/cli-harness.js";

type Config = ReturnType<typeof smallConfig>;

const extensionPlugin = (fields: string) =>
  `export default { name: "third-party", version: "1.0.0", kind: "extension", ${fields} register() {} };\n`;

/**
 * Each case breaks one thing in a valid configuration and states the diagnostic `check --json`
 * must report: exact code, field and message text. `compose` must refuse the same input with
 * exit status 2 and one line on stderr.
 */
const cases: {
  what: string;
  change: (config: Config) => unknown;
  files?: Record<string, string>;
  code: string;
  field: string | null;
  message: string | RegExp;
}[] = [
  {
    what: "unknown key",
    change: (c) => ((c.domains[0] as Record<string, unknown>)["colour"] = "red"),
    code: "NK-CFG-005",
    field: "domains[0].colour",
    message: 'unknown key "colour"',
  },
  {
    what: "wrong type",
    change: (c) => ((c.domains[1] as Record<string, unknown>)["memoryMiB"] = "4M"),
    code: "NK-CFG-006",
    field: "domains[1].memoryMiB",
    message: 'expected a number, got "4M"',
  },
  {
    what: "priority out of range",
    change: (c) => ((c.domains[1] as Record<string, unknown>)["priority"] = 128),
    code: "NK-CFG-007",
    field: "domains[1].priority",
    message: "must be from 1 to 127, got 128",
  },
  {
    what: "duplicate domain name",
    change: (c) => ((c.domains[2] as Record<string, unknown>)["name"] = "server"),
    code: "NK-CFG-008",
    field: "domains[2].name",
    message: 'duplicate domain name "server" (also domains[0])',
  },
  {
    what: "bad device BDF",
    change: (c) => ((c.domains[2] as Record<string, unknown>)["devices"] = ["00:20.0"]),
    code: "NK-CFG-009",
    field: "domains[2].devices[0]",
    message: 'expected a PCI function "SSSS:BB:DD.F" or "BB:DD.F" (hex; device 00..1f, function 0..7), got "00:20.0"',
  },
  {
    what: "unknown workload",
    change: (c) => ((c.domains[2] as Record<string, unknown>)["workload"] = "spin"),
    code: "NK-CFG-010",
    field: "domains[2].workload",
    message: 'unknown workload "spin"',
  },
  {
    what: "unknown platform profile",
    change: (c) => (c["platform"] = "no-such-machine"),
    // the kernel's tap interceptor attributes the arch plugin's NK-PRF-001 to plugin, hook and phase
    code: "NK-PRF-001",
    field: "platform",
    message: /^plugin "@novakit\/arch-x86_64" failed in hook "discover" during phase "\w+": .*no-such-machine/s,
  },
  {
    what: "cpu index beyond the platform",
    change: (c) => ((c.domains[2] as Record<string, unknown>)["cpus"] = [1, 4]),
    code: "NK-CFG-012",
    field: "domains[2].cpus[1]",
    message: "CPU 4 does not exist: platform qemu-q35-amd-iommu has 4 CPUs (0..3)",
  },
  {
    what: "plugin not found",
    change: (c) => (c["plugins"] = ["novakit-plugin-missing"]),
    code: "NK-PLG-020",
    field: "plugins[0]",
    message: /^plugin package novakit-plugin-missing not found from /,
  },
  {
    what: "plugin with no export",
    change: (c) => (c["plugins"] = ["./plugins/empty.mjs"]),
    files: { "plugins/empty.mjs": "export const answer = 42;\n" },
    code: "NK-PLG-021",
    field: "plugins[0]",
    message: "module ./plugins/empty.mjs exports no plugin (neither its default export nor a named export is a Novakit plugin)",
  },
  {
    what: "missing dependency",
    change: (c) => (c["plugins"] = ["./plugins/needy.mjs"]),
    files: { "plugins/needy.mjs": extensionPlugin('requires: ["@novakit/iommu-amd"],') },
    code: "NK-PLG-002",
    field: "plugins[0]",
    message: "third-party requires @novakit/iommu-amd, which is not configured",
  },
  {
    what: "conflict",
    change: (c) => (c["plugins"] = ["./plugins/rival.mjs"]),
    files: { "plugins/rival.mjs": extensionPlugin('conflicts: ["@novakit/scheduler"],') },
    code: "NK-PLG-003",
    field: "plugins[0]",
    message: "third-party conflicts with @novakit/scheduler (configured at config.json: plugins (default scheduler plugin))",
  },
  {
    what: "two schedulers",
    change: (c) => (c["plugins"] = ["@novakit/scheduler", "./plugins/edf.mjs"]),
    files: { "plugins/edf.mjs": 'export default { name: "edf", version: "1.0.0", kind: "scheduler", register() {} };\n' },
    code: "NK-PLG-006",
    field: "plugins[1]",
    message: "two schedulers: @novakit/scheduler and edf (at most one is allowed)",
  },
  {
    what: "zero arch plugins",
    change: (c) => (c["plugins"] = [{ name: "@novakit/arch-x86_64", enabled: false }]),
    code: "NK-PLG-004",
    field: "plugins",
    message: 'no architecture plugin is configured (exactly one plugin of kind "arch" is needed)',
  },
  {
    what: "two arch plugins",
    change: (c) => (c["plugins"] = ["@novakit/arch-x86_64", "@novakit/arch-aarch64"]),
    code: "NK-PLG-005",
    field: "plugins[1]",
    message: "two architecture plugins: @novakit/arch-x86_64 and @novakit/arch-aarch64 (exactly one is allowed)",
  },
  {
    what: "arch mismatch",
    change: (c) => (c["plugins"] = ["@novakit/arch-aarch64"]),
    code: "NK-PLG-007",
    field: "plugins[0]",
    message: "@novakit/arch-aarch64 supports aarch64, but the configuration's arch is x86_64",
  },
  {
    what: "bad plugin options",
    change: (c) => (c["plugins"] = [{ name: "@novakit/scheduler", options: { trace: "yes" } }]),
    code: "NK-PLG-010",
    field: "plugins[0].options.trace",
    message: /^@novakit\/scheduler: options\.trace: .*expected boolean/,
  },
];

describe("check and compose reject broken configurations", () => {
  it.each(cases)("$what → $code", async ({ change, files, code, field, message }) => {
    const config = smallConfig();
    change(config);
    const dir = await makeProject({ "config.json": JSON.stringify(config, null, 2), ...files });

    const check = await runIn(dir, ["check", "config.json", "--json"]);
    expect(check.status).toBe(1);
    const report = JSON.parse(check.stdout) as { ok: boolean; diagnostics: { code: string; field: string | null; message: string; file: string | null; severity: string }[] };
    expect(report.ok).toBe(false);
    const diagnostic = report.diagnostics.find((d) => d.severity === "error");
    expect(diagnostic?.code).toBe(code);
    expect(diagnostic?.file).toBe("config.json");
    if (field !== null) expect(diagnostic?.field).toBe(field);
    if (typeof message === "string") expect(diagnostic?.message).toBe(message);
    else expect(diagnostic?.message).toMatch(message);

    const compose = await runIn(dir, ["compose", "config.json"]);
    expect(compose.status).toBe(2);
    expect(compose.stdout).toBe("");
    expect(compose.stderr).toMatch(new RegExp(`^novakit: error: .*\\[${code}\\]`));
    expect(compose.stderr).not.toMatch(/\n\s+at /);

    const boot = await runIn(dir, ["boot", "config.json", "--quiet"]);
    expect(boot.status).toBe(2);
    expect(boot.stderr).toMatch(new RegExp(`\\[${code}\\]`));
  });

  it("reports a JSON syntax error with line and column", async () => {
    const dir = await makeProject({ "config.json": '{\n  "arch": "x86_64",\n  "platform": "qemu-q35-amd-iommu"\n  "domains": []\n}\n' });
    const check = await runIn(dir, ["check", "config.json", "--json"]);
    expect(check.status).toBe(1);
    const report = JSON.parse(check.stdout) as { diagnostics: { code: string; message: string; file: string }[] };
    expect(report.diagnostics[0]).toMatchObject({ code: "NK-CFG-002", file: "config.json" });
    expect(report.diagnostics[0]?.message).toMatch(/^JSON syntax error at line 4, column 3: /);
    const boot = await runIn(dir, ["boot", "config.json"]);
    expect(boot.status).toBe(2);
    expect(boot.stderr).toMatch(/^novakit: error: config\.json: JSON syntax error at line 4, column 3: .*\[NK-CFG-002\]\n$/);
  });

  it("lists every schema problem at once", async () => {
    const config = smallConfig();
    (config.domains[0] as Record<string, unknown>)["priority"] = 0;
    (config.domains[1] as Record<string, unknown>)["budgetMs"] = 70000;
    const dir = await makeProject({ "config.json": JSON.stringify(config) });
    const check = await runIn(dir, ["check", "config.json", "--json"]);
    const report = JSON.parse(check.stdout) as { diagnostics: { field: string }[] };
    expect(report.diagnostics.map((d) => d.field)).toEqual(["domains[0].priority", "domains[1].budgetMs"]);
  });
});
