import { describe, expect, it } from "vitest";
import { parseNovaCmdline, tokenMatchesOption } from "./nova-cmdline.js";

describe("NOVA command line (nova.md §8.1)", () => {
  it("applies the prefix rule: a token sets every option it is a prefix of", () => {
    expect(parseNovaCmdline("nosm").options).toEqual(["nosmmu"]);
    expect(parseNovaCmdline("noc").options).toEqual(["noccst", "nocpst"]);
    expect(parseNovaCmdline("no").options).toEqual(["noccst", "nocpst", "nodl", "nomktme", "nopcid", "nosmmu", "nouart", "novpid"]);
  });

  it("ignores (and reports) unknown tokens; a token longer than the option does not match", () => {
    const cmdline = parseNovaCmdline("  insecure   nosmmux serial nouart ");
    expect(cmdline.tokens).toEqual(["insecure", "nosmmux", "serial", "nouart"]);
    expect(cmdline.options).toEqual(["insecure", "nouart"]);
    expect(cmdline.unknownTokens).toEqual(["nosmmux", "serial"]);
    expect(tokenMatchesOption("", "nodl")).toBe(false);
  });
});
