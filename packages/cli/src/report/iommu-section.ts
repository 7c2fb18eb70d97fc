import { escapeHtml } from "./html-escape.js";
import { badge, code, htmlTable, type TrustedHtml } from "./html-table.js";
import { byteSize, hex, plural } from "./report-format.js";
import type { DeviceAssignmentRow, ReportData } from "./report-model.js";

/** The device assignment table of every IOMMU unit, and the functions no unit translates. */
function deviceTable(rows: readonly DeviceAssignmentRow[], className: string): string {
  return htmlTable<DeviceAssignmentRow>({
    className,
    rowClass: "device-row",
    rowData: (row) => ({ device: row.address, assigned: String(row.domain !== undefined) }),
    columns: [
      { header: "device", cell: (row) => code(row.address) },
      { header: "name", cell: (row) => row.name },
      { header: "domain", cell: (row) => row.domain ?? "-" },
      { header: "DMA", cell: (row) => modeBadge(row.mode) },
      { header: "DTE DomainID", cell: (row) => (row.dte === undefined || !row.dte.translationValid ? "-" : String(row.dte.domainId)), numeric: true },
      { header: "DTE V/TV/Mode", cell: (row) => (row.dte === undefined ? "-" : `${row.dte.valid ? 1 : 0}/${row.dte.translationValid ? 1 : 0}/${row.dte.mode}`) },
      { header: "I/O page table", cell: (row) => (row.dte === undefined || !row.dte.translationValid ? "-" : code(hex(row.dte.pageTableRoot))) },
      { header: "IR/IW", cell: (row) => (row.dte === undefined ? "-" : `${row.dte.read ? "R" : "-"}${row.dte.write ? "W" : "-"}`) },
      { header: "DMA space", cell: (row) => (row.spaceId === undefined ? "-" : String(row.spaceId)), numeric: true },
      { header: "readable", cell: (row) => (row.mode === "passthrough" ? "all memory" : byteSize(BigInt(row.readablePages) << 12n)), numeric: true },
      { header: "writable", cell: (row) => (row.mode === "passthrough" ? "all memory" : byteSize(BigInt(row.writablePages) << 12n)), numeric: true },
    ],
    rows,
    empty: "no DMA-capable functions",
  });
}

function modeBadge(mode: DeviceAssignmentRow["mode"]): TrustedHtml {
  return mode === "translated" ? badge("translated", "ok") : mode === "blocked" ? badge("blocked", "muted") : badge("untranslated", "bad");
}

export function iommuSection(data: ReportData): string {
  const units = data.iommus.units
    .map(
      (unit) =>
        `<h3 class="iommu-unit" data-iommu="${escapeHtml(unit.name)}">${escapeHtml(`${unit.name} (${unit.kind}, PCI segment ${unit.segment})`)}</h3>` +
        `<p class="note">${plural(unit.devices.filter((row) => row.domain !== undefined).length, "assigned device")} of ${plural(unit.devices.length, "DMA-capable function")} on this unit's segment.</p>` +
        deviceTable(unit.devices, "assignments"),
    )
    .join("\n");
  const untranslated =
    data.iommus.untranslated.length === 0
      ? ""
      : `<h3>No IOMMU translates these</h3><p class="note">Their DMA reaches all of physical memory (no IOMMU plugin, <code>nosmmu</code>, or a segment without a unit).</p>` +
        deviceTable(data.iommus.untranslated, "assignments untranslated");
  const none = data.iommus.units.length === 0 ? `<p class="note">The platform has no IOMMU unit.</p>` : "";
  return `<section id="iommu"><h2>Device assignment per IOMMU</h2>
<p class="note">Every DMA-capable PCI function, the domain it is assigned to, and its device table entry as read from memory (the AMD IOMMU device table entry: V, TV, Mode = I/O page-table levels, DomainID, root pointer, IR/IW). Readable and writable sizes come from walking the I/O page tables the entry points at, as <code>novakit check --isolation</code> does.</p>
${none}${units}${untranslated}
</section>`;
}
