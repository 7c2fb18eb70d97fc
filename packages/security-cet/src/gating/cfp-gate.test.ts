import { describe, expect, it } from "vitest";
import { cetPlatform } from "../test-support/cet-test-platforms.js";
import { CFP_LEVELS, cetOptionsSchema } from "../options/cet-options.js";
import { cetFindings } from "./cet-findings.js";
import { bestCfpLevel, gateCfpLevel } from "./cfp-gate.js";

const intelFull = cetPlatform("intel", ["CET_SS", "CET_IBT", "CET_SSS"], "Intel CET test CPU");
const intelNoSss = cetPlatform("intel", ["CET_SS", "CET_IBT"], "Intel Core i7-1185G7");
const amdShadowOnly = cetPlatform("amd", ["CET_SS"], "AMD Ryzen 9 5950X");
const noCet = cetPlatform("amd", [], "AMD EPYC-Genoa Processor");

describe("options", () => {
  it("defaults to NOVA's CFP=none and refusal", () => {
    expect(cetOptionsSchema.parse({})).toEqual({ cfp: "none", unsupported: "refuse" });
  });
  it("accepts exactly the four CFP levels", () => {
    for (const level of CFP_LEVELS) expect(cetOptionsSchema.parse({ cfp: level }).cfp).toBe(level);
    expect(cetOptionsSchema.safeParse({ cfp: "on" }).success).toBe(false);
    expect(cetOptionsSchema.safeParse({ cfp: "full", extra: 1 }).success).toBe(false);
  });
});

describe("gating matrix (cet.md §1, §7 step 1)", () => {
  // [platform, level, supported, missing, live ibt, live sss]
  const matrix = [
    [intelFull, "none", true, [], false, false],
    [intelFull, "branch", true, [], true, false],
    [intelFull, "return", true, [], false, true],
    [intelFull, "full", true, [], true, true],
    [intelNoSss, "branch", true, [], true, false],
    [intelNoSss, "return", false, ["CET_SSS"], false, false],
    [intelNoSss, "full", false, ["CET_SSS"], true, false],
    [amdShadowOnly, "branch", false, ["CET_IBT"], false, false],
    [amdShadowOnly, "return", false, ["CET_SSS"], false, false],
    [amdShadowOnly, "full", false, ["CET_SSS", "CET_IBT"], false, false],
    [noCet, "none", true, [], false, false],
    [noCet, "full", false, ["CET_SS", "CET_SSS", "CET_IBT"], false, false],
  ] as const;
  it.each(matrix)("%#: %s.cpu with CFP=%s", (platform, level, supported, missing, ibt, sss) => {
    const gate = gateCfpLevel(level, platform.cpu);
    expect(gate.supported).toBe(supported);
    expect(gate.missing).toEqual(missing);
    expect(gate.live).toEqual({ ibt, sss });
  });

  it("suggests the strongest level the CPU keeps", () => {
    expect(bestCfpLevel(intelFull.cpu)).toBe("full");
    expect(bestCfpLevel(intelNoSss.cpu)).toBe("branch");
    expect(bestCfpLevel(amdShadowOnly.cpu)).toBe("none");
    expect(bestCfpLevel(noCet.cpu)).toBe("none");
  });
});

describe("check findings", () => {
  const field = 'plugins[0].options.cfp';
  it("rejects IBT on an AMD part with shadow stacks only, naming the feature and the CPU model", () => {
    const [finding, ...rest] = cetFindings({ platform: amdShadowOnly, requested: "branch", file: "novakit.config.json", field });
    expect(rest).toEqual([]);
    expect(finding?.severity).toBe("error");
    expect(finding?.error.code).toBe("NK-CET-050");
    expect(finding?.error.message).toContain("CET_IBT (CPUID.(7,0):EDX[20])");
    expect(finding?.error.message).toContain('AMD CPU "AMD Ryzen 9 5950X"');
    expect(finding?.error.message).toContain("CET features CET_SS");
    expect(finding?.error.location).toEqual({ file: "novakit.config.json", field });
  });

  it("rejects supervisor shadow stacks without CET_SSS", () => {
    const [finding] = cetFindings({ platform: intelNoSss, requested: "full", field });
    expect(finding?.error.message).toContain("CET_SSS (CPUID.(7,1):EDX[18])");
    expect(finding?.error.hint).toContain('"cfp": "branch"');
  });

  it("is silent for a level the CPU can run", () => {
    expect(cetFindings({ platform: intelFull, requested: "full", field })).toEqual([]);
    expect(cetFindings({ platform: noCet, requested: "none", field })).toEqual([]);
  });

  it("suggests a level as a warning when cfp is unset on a capable CPU, and only then", () => {
    const [finding] = cetFindings({ platform: intelFull, requested: undefined, field });
    expect(finding?.severity).toBe("warning");
    expect(finding?.error.code).toBe("NK-CET-051");
    expect(finding?.error.hint).toContain('"cfp": "full"');
    expect(cetFindings({ platform: noCet, requested: undefined, field })).toEqual([]);
    expect(cetFindings({ platform: amdShadowOnly, requested: undefined, field })).toEqual([]);
  });

  it("has nothing to say about AArch64", () => {
    const arm = { ...intelFull, arch: "aarch64" as const };
    expect(cetFindings({ platform: arm, requested: "full", field })).toEqual([]);
  });
});
