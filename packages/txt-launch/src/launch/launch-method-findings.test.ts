import { describe, expect, it } from "vitest";
import type { ResolvedPlugin } from "@novakit/kernel-core";
import { txtLaunchPlugin } from "../plugin.js";
import { skinitTestPlatform, txtTestPlatform } from "../test-support/txt-test-platform.js";
import { launchMethodFindings } from "./launch-method-findings.js";

const entry = (method: string): ResolvedPlugin[] => [{ plugin: txtLaunchPlugin as ResolvedPlugin["plugin"], options: { method, tpm: "embedded" }, source: "novakit.config.json: plugins[0]" }];

describe("launchMethodFindings (novakit check)", () => {
  it("refuses TXT on AMD and SKINIT on Intel with NK-TXT-002, naming the option", () => {
    const txtOnAmd = launchMethodFindings(entry("txt"), skinitTestPlatform());
    expect(txtOnAmd.map((error) => error.code)).toEqual(["NK-TXT-002"]);
    expect(txtOnAmd[0]?.location.field).toBe("novakit.config.json: plugins[0].options.method");
    expect(launchMethodFindings(entry("skinit"), txtTestPlatform()).map((error) => error.code)).toEqual(["NK-TXT-002"]);
  });

  it("accepts the vendor's own method and auto, and says nothing without the plugin", () => {
    expect(launchMethodFindings(entry("auto"), skinitTestPlatform())).toEqual([]);
    expect(launchMethodFindings(entry("txt"), txtTestPlatform())).toEqual([]);
    expect(launchMethodFindings([], txtTestPlatform())).toEqual([]);
  });

  it("reports TXT on an Intel CPU without SMX (NK-TXT-001)", () => {
    expect(launchMethodFindings(entry("auto"), txtTestPlatform({ features: ["VMX", "NX"] })).map((error) => error.code)).toEqual(["NK-TXT-001"]);
  });
});
