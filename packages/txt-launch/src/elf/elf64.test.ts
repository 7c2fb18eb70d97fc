import { describe, expect, it } from "vitest";
import { isNovakitError } from "@novakit/kernel-core";
import { rootElf } from "../measure/composed-image.js";
import { buildElf64 } from "./build-elf64.js";
import { PF_R, PF_W, PF_X, readElf64 } from "./elf64.js";
import { rootMeasuredSegment } from "./root-segment.js";

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isNovakitError(error)) return error.code;
    throw error;
  }
  return "no error";
}

describe("ELF64 reader", () => {
  it("takes the root task's first read-only PT_LOAD, headers included (nova.md §6.2)", () => {
    const elf = rootElf('{"domains":[]}');
    const segment = rootMeasuredSegment(elf, "root");
    expect([...segment.subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    expect(new TextDecoder().decode(segment.subarray(64 + 2 * 56))).toBe('{"domains":[]}');
  });

  it("skips writable segments and refuses an ELF with nothing read-only (NK-TXT-010)", () => {
    const data = new Uint8Array([1, 2, 3]);
    const writableFirst = buildElf64(0n, [
      { flags: PF_R | PF_W, vaddr: 0x1000n, contents: new Uint8Array([9, 9]) },
      { flags: PF_R | PF_X, vaddr: 0x2000n, contents: data },
    ]);
    expect([...rootMeasuredSegment(writableFirst, "x")]).toEqual([1, 2, 3]);
    expect(codeOf(() => rootMeasuredSegment(buildElf64(0n, [{ flags: PF_R | PF_W, vaddr: 0n, contents: data }]), "x"))).toBe("NK-TXT-010");
  });

  it("is strict about the magic, class, encoding and every program header's bounds (NK-TXT-009)", () => {
    const elf = rootElf("{}");
    const broken = (change: (bytes: Uint8Array, view: DataView) => void): Uint8Array => {
      const bytes = Uint8Array.from(elf);
      change(bytes, new DataView(bytes.buffer));
      return bytes;
    };
    expect(codeOf(() => readElf64(elf.subarray(0, 10), "x"))).toBe("NK-TXT-009");
    expect(codeOf(() => readElf64(broken((b) => (b[0] = 0)), "x"))).toBe("NK-TXT-009");
    expect(codeOf(() => readElf64(broken((b) => (b[4] = 1)), "x"))).toBe("NK-TXT-009");
    expect(codeOf(() => readElf64(broken((b) => (b[5] = 2)), "x"))).toBe("NK-TXT-009");
    expect(codeOf(() => readElf64(broken((_, v) => v.setUint16(56, 400, true)), "x"))).toBe("NK-TXT-009");
    expect(codeOf(() => readElf64(broken((_, v) => v.setBigUint64(64 + 32, 0xffffffn, true)), "x"))).toBe("NK-TXT-009");
    expect(codeOf(() => readElf64(elf, "x"))).toBe("no error");
  });
});
