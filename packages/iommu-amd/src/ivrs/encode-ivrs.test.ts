import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { isNovakitError } from "@novakit/kernel-core";
import { describe, expect, it } from "vitest";
import { encodeIvrs } from "./encode-ivrs.js";
import { parseIvrs } from "./parse-ivrs.js";
import { syntheticIvrs } from "./synthetic-ivrs.js";

const FIXTURES = fileURLToPath(new URL("../../fixtures/ivrs/", import.meta.url));

describe("encodeIvrs", () => {
  it("re-encodes all 40 real tables byte for byte", () => {
    const names = readdirSync(FIXTURES).filter((name) => name.endsWith(".ivrs.bin"));
    expect(names).toHaveLength(40);
    for (const name of names) {
      const bytes = new Uint8Array(readFileSync(FIXTURES + name));
      expect(Buffer.from(encodeIvrs(parseIvrs(bytes, name))).equals(Buffer.from(bytes)), name).toBe(true);
    }
  });

  it("writes lengths and a checksum that the decoder accepts, and decodes back to the input", () => {
    const input = syntheticIvrs();
    const bytes = encodeIvrs(input);
    let sum = 0;
    for (const byte of bytes) sum = (sum + byte) & 0xff;
    expect(sum).toBe(0);
    const ivrs = parseIvrs(bytes, "synthetic");
    expect(ivrs.header.length).toBe(bytes.length);
    expect(ivrs.blocks).toHaveLength(3);
    expect(ivrs.blocks[0]).toMatchObject({ kind: "ivhd", type: 0x11, length: 40 + 3 * 4 + 2 * 8 + 4 + 4 + 3 * 8, efr: 0x000f_77ef_2229_4adan });
    expect(ivrs.blocks[1]).toMatchObject({ kind: "ivmd", type: 0x21, flags: 7, startAddress: 0xc9f4_2000n });
    expect(encodeIvrs(ivrs)).toEqual(bytes);
  });

  it("refuses values that do not fit their field (NK-IVRS-010) and kinds that contradict the type", () => {
    const input = syntheticIvrs();
    const ivhd = input.blocks[0]!;
    if (ivhd.kind !== "ivhd") throw new Error("not an IVHD");
    const cases = [
      { ...input, blocks: [{ ...ivhd, deviceId: 0x1_0000 }] },
      { ...input, blocks: [{ ...ivhd, baseAddress: -1n }] },
      { ...input, header: { ...input.header, oemId: "TOO LONG" } },
      { ...input, blocks: [{ ...ivhd, entries: [{ kind: "select" as const, type: 0x48, deviceId: 1, setting: 0 }] }] },
    ];
    for (const bad of cases) {
      let code = "";
      try {
        encodeIvrs(bad);
      } catch (error) {
        code = isNovakitError(error) ? error.code : "not a NovakitError";
      }
      expect(code).toBe("NK-IVRS-010");
    }
  });

  it("refuses an IVHD longer than its 16-bit length field (NK-IVRS-011)", () => {
    const input = syntheticIvrs();
    const ivhd = input.blocks[0]!;
    if (ivhd.kind !== "ivhd") throw new Error("not an IVHD");
    const entries = Array.from({ length: 20_000 }, (_, index) => ({ kind: "select" as const, type: 0x02, deviceId: index, setting: 0 }));
    expect(() => encodeIvrs({ ...input, blocks: [{ ...ivhd, entries }] })).toThrow(/16-bit length/);
  });
});
