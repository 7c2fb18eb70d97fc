import { MemoryCapabilityPermission } from "../../../abi/permissions.js";
import { Status } from "../../../abi/status.js";
import type { TranslationTable } from "../../../memory/translation-table.js";
import { definePlugin, type NovakitPlugin } from "../../../plugin/plugin-definition.js";

/** What the test IOMMU saw: requests it translated and aborted. */
export interface TableIommuLog {
  translated: number;
  aborted: number;
  readonly reasons: string[];
}

/**
 * TEST-ONLY IOMMU (the real one is @novakit/iommu-amd, built in parallel): assign_dev binds the
 * DAD's SBDF to the DMA space's page table; the `dma` tap translates through that table and
 * aborts when the device is unassigned, the page is not mapped or lacks R/W. Enough to boot the
 * device workloads "with an IOMMU" inside kernel-core's own tests.
 */
export function tableIommuPlugin(log: TableIommuLog): NovakitPlugin {
  return definePlugin({
    name: "@novakit/test-table-iommu",
    version: "0.0.0-test",
    kind: "iommu",
    register(context) {
      const bound = new Map<number, TranslationTable>();
      context.hooks.hypercall.for("assign_dev").tap(context.pluginName, (invocation) => {
        const table = invocation.target?.type === "space" ? invocation.target.table : undefined;
        if (!table) return { status: Status.BAD_CAP };
        bound.set(Number(invocation.args[1]! & 0xffffffffn), table);
        return { status: Status.SUCCESS };
      });
      context.hooks.dma.tap(context.pluginName, (request) => {
        const abort = (reason: string) => {
          log.aborted++;
          log.reasons.push(reason);
          return { ok: false as const, reason };
        };
        const table = bound.get(request.sbdf);
        if (!table) return abort("device not assigned: DMA blocked");
        const translation = table.lookup(request.address);
        if (!translation) return abort(`no mapping for 0x${request.address.toString(16)}`);
        const needed = request.write ? MemoryCapabilityPermission.W : MemoryCapabilityPermission.R;
        if ((translation.permissions & needed) === 0) return abort("permission");
        log.translated++;
        return { ok: true as const, physicalAddress: translation.outputAddress };
      });
    },
  });
}

/** TEST-ONLY: a `dma` tap that lets only [base, base + size) through, untranslated. */
export function rangeDmaPlugin(base: bigint, size: bigint): NovakitPlugin {
  return definePlugin({
    name: "@novakit/test-range-dma",
    version: "0.0.0-test",
    kind: "iommu",
    register(context) {
      context.hooks.dma.tap(context.pluginName, (request) =>
        request.address >= base && request.address + BigInt(request.length) <= base + size
          ? { ok: true, physicalAddress: request.address }
          : { ok: false, reason: "outside the allowed range" },
      );
      context.hooks.hypercall.for("assign_dev").tap(context.pluginName, () => ({ status: Status.SUCCESS }));
    },
  });
}
