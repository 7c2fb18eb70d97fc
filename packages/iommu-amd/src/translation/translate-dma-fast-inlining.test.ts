import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The window DMA walk is fast only while V8 inlines translateDmaFast, windowUpperLevels and
 * windowLowerLevels into the caller's loop (a called walk costs ~10 ns more: iommu.walk fell from
 * 0.62 to 0.38 of native). V8 inlines a function only if its bytecode is within
 * --max-inlined-bytecode-size, and the whole chain only while its bytecode, times
 * --reserve-inline-budget-scale-factor, stays within --max-inlined-bytecode-size-cumulative
 * (docs/design.md item 21). This test reads those limits and the functions' bytecode lengths from
 * the running Node, so a change that grows the walk past them fails here, not only in the
 * benchmark's ratio.
 */
const WALK_FUNCTIONS = ["translateDmaFast", "windowUpperLevels", "windowLowerLevels"] as const;
const MODULE = fileURLToPath(new URL("./translate-dma-fast.ts", import.meta.url));

function v8Default(options: string, flag: string): number {
  const match = new RegExp(`default: --${flag}=([0-9.]+)`).exec(options);
  if (match === null) throw new Error(`node --v8-options lists no default for --${flag}`);
  return Number(match[1]);
}

/**
 * The bytecode length V8 generates for `name`, called once (bytecode is generated on first
 * call). The sources run under tsx with the workspace's source condition, as the tests do, so no
 * build is needed; esbuild's output gives the same lengths as tsc's (270, 244, 231 bytes here).
 */
function bytecodeLength(name: string): number {
  const script = `
    const { PhysicalMemory } = await import("@novakit/kernel-core");
    const { translateDmaFast } = await import(${JSON.stringify(MODULE)});
    const memory = new PhysicalMemory({ base: 0x200000n, buffer: new SharedArrayBuffer(0x100000) });
    translateDmaFast(memory, 0x200000, 0x100, 0x1000, false, 4);`;
  const output = execFileSync(process.execPath, ["--conditions=@novakit/source", "--import", "tsx", "--print-bytecode", `--print-bytecode-filter=${name}`, "--input-type=module", "-e", script], {
    encoding: "utf8",
    cwd: fileURLToPath(new URL("../..", import.meta.url)),
  });
  const match = /Bytecode length: (\d+)/.exec(output);
  if (match === null) throw new Error(`no bytecode printed for ${name}`);
  return Number(match[1]);
}

describe("the window DMA walk fits V8's inlining limits", () => {
  it("each function within the single limit, the chain within the cumulative budget", { timeout: 60_000 }, () => {
    const options = execFileSync(process.execPath, ["--v8-options"], { encoding: "utf8" });
    const single = v8Default(options, "max-inlined-bytecode-size");
    const cumulative = v8Default(options, "max-inlined-bytecode-size-cumulative");
    const scale = v8Default(options, "reserve-inline-budget-scale-factor");
    const lengths = WALK_FUNCTIONS.map(bytecodeLength);
    for (const length of lengths) expect(length).toBeLessThanOrEqual(single);
    const total = lengths.reduce((sum, length) => sum + length, 0);
    expect(total * scale).toBeLessThanOrEqual(cumulative);
  });
});
