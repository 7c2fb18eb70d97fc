import { describe, expect, it } from "vitest";
import { escapeHtml } from "./html-escape.js";

describe("escapeHtml", () => {
  it("escapes the five characters that can end text or an attribute", () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
  });

  it("leaves everything else alone, including non-ASCII", () => {
    expect(escapeHtml("tenant-a · 64 MiB → 0x1ec00000 µs")).toBe("tenant-a · 64 MiB → 0x1ec00000 µs");
  });
});
