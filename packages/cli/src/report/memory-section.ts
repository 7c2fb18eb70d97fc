import { escapeHtml } from "./html-escape.js";
import { code, htmlTable } from "./html-table.js";
import { byteSize, hex, memoryPermissionLetters, plural } from "./report-format.js";
import type { MemoryRegion, ReportData } from "./report-model.js";
import { memoryMapSvg } from "./svg-memory-map.js";

/** region rows listed per space */
export const REGION_ROWS_SHOWN = 64;

/** Every PD's host, guest and DMA maps (inline SVG, to scale) with their region tables. */
export function memorySection(data: ReportData): string {
  const legend = [
    ["perm-r", "R"],
    ["perm-rw", "RW"],
    ["perm-rx", "R + execute"],
    ["perm-rwx", "RW + execute"],
  ]
    .map(([tone, label]) => `<span><i class="${tone}"></i>${label}</span>`)
    .join("");
  const pds = data.memoryMaps
    .map((map) => {
      const spaces =
        map.spaces.length === 0
          ? `<p class="note">no host, guest or DMA space</p>`
          : map.spaces
              .map((space) => {
                const shown = space.regions.slice(0, REGION_ROWS_SHOWN);
                const regions = htmlTable<MemoryRegion>({
                  className: "regions",
                  rowClass: "region-row",
                  columns: [
                    { header: "input range", cell: (region) => code(`${hex(region.start)}–${hex(region.end - 1n)}`) },
                    { header: "size", cell: (region) => byteSize(region.end - region.start), numeric: true },
                    { header: "output", cell: (region) => code(region.outputContiguous ? hex(region.outputStart) : `${hex(region.outputStart)} … (not contiguous)`) },
                    { header: "permissions", cell: (region) => code(memoryPermissionLetters(region.permissions)) },
                    { header: "leaves", cell: (region) => leavesText(region.leavesByOrder) },
                  ],
                  rows: shown,
                  empty: "nothing mapped",
                });
                const more = space.regions.length > shown.length ? `<p class="note">${space.regions.length - shown.length} more regions not listed.</p>` : "";
                return `<div class="space" data-space="${space.spaceId}" data-kind="${space.kind}"><h4>${escapeHtml(`${space.kind} space ${space.spaceId} · ${space.format} · ${space.inputBits}-bit input · ${byteSize(space.mappedBytes)} in ${plural(space.regions.length, "region")}`)}</h4>
<div class="figure">${memoryMapSvg(space)}</div>${regions}${more}</div>`;
              })
              .join("\n");
      return `<h3 data-pd="${map.pd}">${escapeHtml(`${map.name} (PD ${map.pd})`)}</h3>\n${spaces}`;
    })
    .join("\n");
  return `<section id="memory"><h2>Memory maps</h2>
<p class="note">Each host (HST), guest (GST) and DMA space as its page table maps it, read from the tables after the boot. The top bar of a map is the whole input address space, linear; each numbered marker under it is opened by the zoom strip of that number, linear over one cluster of mappings. Widths are proportional to bytes, except that a region narrower than a pixel is drawn one pixel wide.</p>
<div class="legend">${legend}</div>
${pds}
</section>`;
}

function leavesText(leavesByOrder: Readonly<Record<number, number>>): string {
  const names: Readonly<Record<number, string>> = { 0: "4 KiB", 9: "2 MiB", 18: "1 GiB" };
  return Object.entries(leavesByOrder)
    .map(([order, count]) => `${count} × ${names[Number(order)] ?? `order ${order}`}`)
    .join(", ");
}
