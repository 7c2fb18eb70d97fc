import { NovakitError, type PhysicalMemory } from "@novakit/kernel-core";
import { decodeCommand, type CommandSupport } from "../command/decode-command.js";
import type { IommuCommand } from "../command/command-types.js";
import { decodeInvalidationRange } from "../command/invalidation-range.js";
import { DeviceTableCache } from "../cache/device-table-cache.js";
import { snapshotDte, type DteSnapshot } from "../cache/dte-snapshot.js";
import { Iotlb } from "../cache/iotlb.js";
import { PageDirectoryCache } from "../cache/page-directory-cache.js";
import type { DteWords } from "../device-table/device-table-entry.js";
import { DTE_BYTES } from "../device-table/device-table.js";
import { DPT_IR, DPT_IW, MAX_DPT_LEVELS } from "../dpt/amd-dpt-bits.js";
import { encodeEvent } from "../event-log/event-codec.js";
import { appendEvent } from "../event-log/event-log-ring.js";
import type { IommuEvent } from "../event-log/event-types.js";
import {
  BASE_ADDRESS_MASK,
  decodeRingBase,
  deviceTableEntries,
  EXCL_ALLOW_ALL,
  EXCL_ENABLE,
  EXCL_LIMIT_FIXED_ONES,
  MIN_RING_LENGTH_CODE,
  ringBytes,
  RING_ENTRY_BYTES,
} from "../mmio/base-registers.js";
import { IommuControl } from "../mmio/control-bits.js";
import { EfrBit, efrHats } from "../mmio/efr-bits.js";
import { IommuMmio, MMIO_WINDOW_BYTES, MMIO_WINDOW_BYTES_WITH_COUNTERS } from "../mmio/mmio-offsets.js";
import { IommuRegisterFile } from "../mmio/register-file.js";
import { IommuStatus } from "../mmio/status-bits.js";
import { IoFaultFlag, ioFaultFlags, type DmaFault } from "../translation/io-fault.js";
import { maxLevelsFromHats, translateDma, type DmaTranslation } from "../translation/translate-dma.js";
import { translateIoTablesFast } from "../translation/translate-dma-fast.js";
import {
  DEFAULT_DEVICE_TABLE_CACHE_CAPACITY,
  DEFAULT_IOTLB_CAPACITY,
  validateAmdIommuOptions,
  type AmdIommuOptions,
  type IommuInterruptCause,
} from "./amd-iommu-options.js";
import { directoryEntriesOf } from "./directory-walk.js";
import { eventForDmaFault } from "./dma-fault-event.js";

/** A DMA request as the unit receives it from a device. */
export interface DmaTranslationRequest {
  /** requester DeviceID (bus << 8 | device << 3 | function) as seen on the bus */
  readonly bdf: number;
  /** the DMA address, 0 .. 2^64 - 1 */
  readonly iova: bigint;
  readonly write: boolean;
  /** false: bypass (neither read nor fill) the DTE cache and the IOTLB; true by default */
  readonly useCache?: boolean;
}

export interface AmdIommuStats {
  /** DMA requests presented to `translate` */
  readonly translations: number;
  readonly iotlbHits: number;
  /** lookups of a translating DTE that found no IOTLB entry (a walk followed) */
  readonly iotlbMisses: number;
  /** requests aborted */
  readonly faults: number;
  /** events written into the event log (faults, illegal commands) */
  readonly eventsLogged: number;
  /** events not written: the log was full (overflow), stopped after an overflow, or not enabled */
  readonly droppedEvents: number;
  /** IO_PAGE_FAULT events not logged because the DTE's SA bit suppresses them (§6.3) */
  readonly suppressedEvents: number;
  /** commands executed (an illegal command is not counted) */
  readonly commandsProcessed: number;
  /** interrupts raised (EventIntEn / ComWaitIntEn) */
  readonly interrupts: number;
}

interface DecodedRegisters {
  /** Control.IommuEn */
  readonly iommuEnabled: boolean;
  readonly deviceTableBase: bigint;
  /** DeviceIDs covered by DEV_TBL_BASE.Size */
  readonly deviceTableEntries: number;
  /** EXCL_BASE: ExEn clear, ExEn with Allow (every device), or ExEn for DTE.EX devices only (§2.2) */
  readonly exclusion: "off" | "all-devices" | "ex-devices";
  readonly exclusionBase: bigint;
  /** inclusive: EXCL_LIMIT | FFFh */
  readonly exclusionLimit: bigint;
}

const ALL_LANES = (1n << 64n) - 1n;
const DTE_V = 1n << 0n;
const DTE_TV = 1n << 1n;
const LOW_LANES = 0xffff_ffffn;
const PAGE_OFFSET_MASK = 0xfffn;
const ADDRESS_LIMIT = 1n << 64n;
/** DEV_TBL_BASE bits 8:0 (§2.3) */
const DEVICE_TABLE_SIZE_FIELD = 0x1ffn;
/** pages a Mode-m table tree reaches, 2^(9m) (§4.1: addresses below 2^(12 + 9m)); Mode 6 covers all 2^52 */
/** the address bits a level-L table and those below it index: 2^(12 + 9L) - 1 */
const LEVEL_SPAN_MASK: readonly bigint[] = [0xfffn, (1n << 21n) - 1n, (1n << 30n) - 1n, (1n << 39n) - 1n, (1n << 48n) - 1n, (1n << 57n) - 1n];
const PAGE_LIMIT: readonly number[] = [1, 2 ** 9, 2 ** 18, 2 ** 27, 2 ** 36, 2 ** 45, 2 ** 52];

/**
 * One AMD IOMMU (reference/amd-iommu.md): the MMIO register file (§2), the command buffer (§5), the
 * event log (§6), a device-table cache, a page-directory cache and an IOTLB (§5.3, §10.10), and the DMA translation of device
 * requests through the segment's device table and I/O page tables (§3.4, §4, translateDma).
 * Software drives it only through `mmioRead64`/`mmioWrite64` (and the 32-bit forms) plus memory;
 * devices through `translate`. The model has no clock: a CMD_TAIL write processes the ring at once.
 *
 * Several units of a PCI segment point DEV_TBL_BASE at the same table; each has its own registers,
 * queues and caches (§10.16).
 */
export class AmdIommu {
  readonly mmioBase: bigint;
  readonly segment: number;
  readonly deviceId: number;
  readonly efr: bigint;
  readonly efr2: bigint;
  /** size of the MMIO window: 16 KiB, 512 KiB with EFR.PCSup */
  readonly mmioWindowBytes: number;
  /** deepest DTE Mode accepted: 4 + EFR.HATS; 0 when HATS = 11b (no host translation, §4.1) */
  readonly maxLevels: number;

  private readonly memory: PhysicalMemory;
  private readonly registers: IommuRegisterFile;
  private readonly iotlb: Iotlb;
  private readonly deviceTableCache: DeviceTableCache;
  private readonly directories: PageDirectoryCache;
  private readonly commandSupport: CommandSupport;
  private readonly onInterrupt: ((cause: IommuInterruptCause) => void) | undefined;
  private readonly pendingInterrupts: IommuInterruptCause[] = [];
  private stalled = false;
  /** AmdIommuOptions.stallAfterCommands until it fired (then undefined: the stall is one-shot) */
  private stallAfterCommands: number | undefined;
  /** register state the DMA path reads on every request, decoded once per register write */
  private decoded: DecodedRegisters = {
    iommuEnabled: false,
    deviceTableBase: 0n,
    deviceTableEntries: deviceTableEntries(0),
    exclusion: "off",
    exclusionBase: 0n,
    exclusionLimit: EXCL_LIMIT_FIXED_ONES,
  };
  private readonly counters = {
    translations: 0,
    iotlbHits: 0,
    iotlbMisses: 0,
    faults: 0,
    eventsLogged: 0,
    droppedEvents: 0,
    suppressedEvents: 0,
    commandsProcessed: 0,
    interrupts: 0,
  };

  constructor(options: AmdIommuOptions) {
    validateAmdIommuOptions(options);
    this.memory = options.memory;
    this.mmioBase = options.mmioBase;
    this.segment = options.segment;
    this.deviceId = options.deviceId;
    this.efr = options.efr;
    this.efr2 = options.efr2;
    this.mmioWindowBytes = (options.efr & EfrBit.PC_SUP) !== 0n ? MMIO_WINDOW_BYTES_WITH_COUNTERS : MMIO_WINDOW_BYTES;
    const hats = efrHats(options.efr);
    this.maxLevels = hats === 3 ? 0 : maxLevelsFromHats(hats);
    this.registers = new IommuRegisterFile(options.efr, options.efr2);
    this.iotlb = new Iotlb(options.iotlbCapacity ?? DEFAULT_IOTLB_CAPACITY);
    this.deviceTableCache = new DeviceTableCache(options.deviceTableCacheCapacity ?? DEFAULT_DEVICE_TABLE_CACHE_CAPACITY);
    this.directories = new PageDirectoryCache(options.iotlbCapacity ?? DEFAULT_IOTLB_CAPACITY);
    this.commandSupport = { efr: options.efr, iotlbSupported: options.iotlbSupported ?? true };
    this.onInterrupt = options.onInterrupt;
    this.stallAfterCommands = options.stallAfterCommands;
  }

  /**
   * Fault injection: while true the command buffer is not processed (tail writes are accepted and
   * the commands wait), so a driver's completion-wait timeout can be exercised. Clearing it lets
   * the unit catch up at once, as hardware would once it made progress again.
   */
  get stallCommands(): boolean {
    return this.stalled;
  }

  set stallCommands(stall: boolean) {
    this.stalled = stall;
    if (!stall) this.settle(() => this.processCommands());
  }

  // ---------------------------------------------------------------- MMIO

  /** A 64-bit read at an 8-byte aligned offset (PERF_OPT_CTRL, a 32-bit register at 016Ch, also accepted). */
  mmioRead64(offset: number): bigint {
    if (offset === IommuMmio.PERF_OPT_CTRL) return BigInt(this.mmioRead32(offset));
    this.checkOffset(offset, 8);
    return this.registers.read(offset);
  }

  /**
   * A 64-bit write at an 8-byte aligned offset; PERF_OPT_CTRL (016Ch) takes a 32-bit value this way
   * too. Reserved and read-only bits are ignored, Status W1C bits clear where a 1 is written.
   */
  mmioWrite64(offset: number, value: bigint): void {
    if (value < 0n || value >= 1n << 64n) {
      throw new NovakitError("NK-IOMMU-203", `MMIO value 0x${value.toString(16)} is not an unsigned 64-bit value`, { offset, field: "value" });
    }
    if (offset === IommuMmio.PERF_OPT_CTRL) {
      if (value > LOW_LANES) throw new NovakitError("NK-IOMMU-203", "PERF_OPT_CTRL (016Ch) is a 32-bit register", { offset, field: "value" });
      this.mmioWrite32(offset, Number(value));
      return;
    }
    this.checkOffset(offset, 8);
    this.settle(() => this.write(offset, value, ALL_LANES));
  }

  /** A 32-bit read at a 4-byte aligned offset (half of a 64-bit register). */
  mmioRead32(offset: number): number {
    this.checkOffset(offset, 4);
    const shift = BigInt((offset & 4) * 8);
    return Number((this.registers.read(offset & ~7) >> shift) & LOW_LANES);
  }

  /** A 32-bit write at a 4-byte aligned offset: only that half of the 64-bit register is written. */
  mmioWrite32(offset: number, value: number): void {
    this.checkOffset(offset, 4);
    if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) {
      throw new NovakitError("NK-IOMMU-203", `MMIO value ${value} is not an unsigned 32-bit value`, { offset, field: "value" });
    }
    const shift = BigInt((offset & 4) * 8);
    this.settle(() => this.write(offset & ~7, BigInt(value) << shift, LOW_LANES << shift));
  }

  private checkOffset(offset: number, size: 4 | 8): void {
    if (!Number.isInteger(offset) || offset < 0 || offset + size > this.mmioWindowBytes) {
      throw new NovakitError(
        "NK-IOMMU-201",
        `MMIO offset ${offset} lies outside the 0x${this.mmioWindowBytes.toString(16)}-byte register window`,
        { offset: Number.isInteger(offset) && offset >= 0 ? offset : undefined, field: "offset" },
      );
    }
    if (offset % size !== 0) {
      throw new NovakitError("NK-IOMMU-202", `a ${size * 8}-bit MMIO access at 0x${offset.toString(16)} is not ${size}-byte aligned`, { offset, field: "offset" });
    }
  }

  /** a software write with its side effects (§2.3-§2.5, §5.1) */
  private write(qwordOffset: number, value: bigint, lanes: bigint): void {
    const oldControl = this.registers.raw(IommuMmio.CONTROL);
    if (!this.registers.write(qwordOffset, value, lanes)) return;
    this.decodeRegisters();
    switch (qwordOffset) {
      case IommuMmio.CMD_BUF_BASE:
        // writing a base resets that queue's head and tail (§2.3; NOVA relies on it, nova.md §4.4 step 7)
        this.registers.setHardware(IommuMmio.CMD_HEAD, 0n);
        this.registers.setHardware(IommuMmio.CMD_TAIL, 0n);
        break;
      case IommuMmio.EVT_LOG_BASE:
        this.registers.setHardware(IommuMmio.EVT_HEAD, 0n);
        this.registers.setHardware(IommuMmio.EVT_TAIL, 0n);
        break;
      case IommuMmio.CONTROL:
        this.controlChanged(oldControl, this.registers.raw(IommuMmio.CONTROL));
        break;
      case IommuMmio.CMD_TAIL:
        this.processCommands();
        break;
      default:
        break;
    }
  }

  /**
   * CmdBufRun follows IommuEn && CmdBufEn, EventLogRun follows IommuEn && EventLogEn (§2.4: QEMU
   * and VirtualBox need both). A run bit is set only on the rising edge of its enable, so a queue
   * that halted (or a log that overflowed) restarts only when software toggles the enable, as NOVA
   * does (nova.md §4.7). Re-enabling the event log clears EventOverflow (NOVA's restart does not
   * write Status; Linux additionally writes 1 to it, which the W1C mask handles).
   */
  private controlChanged(before: bigint, after: bigint): void {
    const commandsBefore = enabled(before, IommuControl.CMD_BUF_EN);
    const commandsAfter = enabled(after, IommuControl.CMD_BUF_EN);
    const logBefore = enabled(before, IommuControl.EVENT_LOG_EN);
    const logAfter = enabled(after, IommuControl.EVENT_LOG_EN);
    let status = this.registers.raw(IommuMmio.STATUS);
    if (!logAfter) status &= ~IommuStatus.EVENT_LOG_RUN;
    else if (!logBefore) {
      this.checkRingLength("EVT_LOG_BASE", IommuMmio.EVT_LOG_BASE);
      status = (status | IommuStatus.EVENT_LOG_RUN) & ~IommuStatus.EVENT_OVERFLOW;
    }
    if (!commandsAfter) status &= ~IommuStatus.CMD_BUF_RUN;
    else if (!commandsBefore) {
      this.checkRingLength("CMD_BUF_BASE", IommuMmio.CMD_BUF_BASE);
      status |= IommuStatus.CMD_BUF_RUN;
    }
    this.registers.setHardware(IommuMmio.STATUS, status);
    if (commandsAfter && !commandsBefore) this.processCommands();
  }

  /** a queue enabled with a reserved length code (below 8, §2.3) is a driver bug the model refuses to guess about */
  private checkRingLength(register: string, offset: number): void {
    const { lengthCode } = decodeRingBase(this.registers.raw(offset));
    if (lengthCode < MIN_RING_LENGTH_CODE) {
      throw new NovakitError(
        "NK-IOMMU-208",
        `${register} length code ${lengthCode} is reserved: a queue holds 2^8 .. 2^15 entries`,
        { offset, field: register },
        "program the base register with (log2 entries) << 56 | base before enabling the queue",
      );
    }
  }

  // ---------------------------------------------------------------- command buffer

  /**
   * Execute commands from CMD_HEAD to CMD_TAIL while CmdBufRun (§5.1). An illegal command halts
   * the queue: CmdBufRun clears, the head stays on it, and ILLEGAL_COMMAND_ERROR with the
   * command's physical address is logged (§5.1, §6.3, §10.12).
   */
  private processCommands(): void {
    if (this.stalled || (this.registers.raw(IommuMmio.STATUS) & IommuStatus.CMD_BUF_RUN) === 0n) return;
    const ring = decodeRingBase(this.registers.raw(IommuMmio.CMD_BUF_BASE));
    const bytes = BigInt(ringBytes(ring.lengthCode));
    let head = this.registers.raw(IommuMmio.CMD_HEAD) % bytes;
    for (;;) {
      if ((this.registers.raw(IommuMmio.STATUS) & IommuStatus.CMD_BUF_RUN) === 0n) break;
      const tail = this.registers.raw(IommuMmio.CMD_TAIL) % bytes;
      if (head === tail) break;
      if (this.stallAfterCommands !== undefined && this.counters.commandsProcessed >= this.stallAfterCommands) {
        // the injected stall: the command processor stops with CMD_HEAD on the next command
        this.stallAfterCommands = undefined;
        this.stalled = true;
        break;
      }
      const address = ring.base + head;
      const decoded = decodeCommand([this.memory.read64(address), this.memory.read64(address + 8n)], this.commandSupport);
      if (!decoded.legal) {
        this.registers.setHardware(IommuMmio.STATUS, this.registers.raw(IommuMmio.STATUS) & ~IommuStatus.CMD_BUF_RUN);
        this.logEvent({ kind: "ILLEGAL_COMMAND_ERROR", address });
        break;
      }
      this.execute(decoded.command);
      this.counters.commandsProcessed += 1;
      head = (head + BigInt(RING_ENTRY_BYTES)) % bytes;
      this.registers.setHardware(IommuMmio.CMD_HEAD, head);
    }
    this.registers.setHardware(IommuMmio.CMD_HEAD, head);
  }

  private execute(command: IommuCommand): void {
    switch (command.kind) {
      case "COMPLETION_WAIT":
        // every earlier command has completed: the model executes in order (§5.3)
        if (command.store) this.memory.write64(command.storeAddress, command.storeData);
        if (command.interrupt) {
          this.registers.setHardware(IommuMmio.STATUS, this.registers.raw(IommuMmio.STATUS) | IommuStatus.COM_WAIT_INT);
          if ((this.registers.raw(IommuMmio.CONTROL) & IommuControl.COM_WAIT_INT_EN) !== 0n) this.raise("COMPLETION_WAIT");
        }
        return;
      case "INVALIDATE_DEVTAB_ENTRY":
        this.deviceTableCache.invalidate(command.deviceId);
        return;
      case "INVALIDATE_IOMMU_PAGES": {
        // GN=1 targets guest (PASID) translations, which the model never caches
        if (command.guest) return;
        const range = decodeInvalidationRange(command.address, command.size);
        this.iotlb.invalidateRange(command.domainId, range);
        if (command.pde) this.directories.invalidateRange(command.domainId, range);
        return;
      }
      case "INVALIDATE_IOMMU_ALL":
        this.deviceTableCache.invalidateAll();
        this.iotlb.invalidateAll();
        this.directories.invalidateAll();
        return;
      case "INVALIDATE_IOTLB_PAGES":
      case "INVALIDATE_INTERRUPT_TABLE":
      case "PREFETCH_IOMMU_PAGES":
      case "COMPLETE_PPR_REQUEST":
        // no device ATS caches, no IRTE cache, no prefetch, no PPR in the model: each completes with
        // nothing to drop (a no-op is what §5.3 allows for PREFETCH; the others have no state here)
        return;
    }
  }

  // ---------------------------------------------------------------- event log

  private logEvent(event: IommuEvent): void {
    const outcome = appendEvent(this.memory, this.registers, encodeEvent(event));
    if (outcome === "logged") this.counters.eventsLogged += 1;
    else this.counters.droppedEvents += 1;
    // §6.1: an interrupt for every written entry and for the overflow itself, when EventIntEn
    if (outcome !== "not-running" && (this.registers.raw(IommuMmio.CONTROL) & IommuControl.EVENT_INT_EN) !== 0n) this.raise("EVENT_LOG");
  }

  private raise(cause: IommuInterruptCause): void {
    this.counters.interrupts += 1;
    if (this.onInterrupt !== undefined) this.pendingInterrupts.push(cause);
  }

  /** run `work`, then deliver the interrupts it raised (a handler may call back into the unit) */
  private settle(work: () => void): void {
    work();
    while (this.pendingInterrupts.length > 0) {
      const cause = this.pendingInterrupts.shift() as IommuInterruptCause;
      this.onInterrupt?.(cause);
    }
  }

  // ---------------------------------------------------------------- DMA

  /**
   * Translate one DMA request (§3.4, §4.3). Never throws for a request the hardware would abort:
   * an aborted request returns the fault and its event is written to the event log (or dropped
   * and counted). The steps:
   *
   * 1. IommuEn = 0: forwarded untranslated (§2.4 bit 0).
   * 2. DeviceID beyond DEV_TBL_BASE.Size: aborted as IO_PAGE_FAULT (VirtualBox's choice, §3.4;
   *    openvmm logs ILLEGAL_DEV_TABLE_ENTRY instead: unconfirmed).
   * 3. DTE from the DTE cache (stale until INVALIDATE_DEVTAB_ENTRY), else from memory.
   * 4. V = 0: forwarded untranslated. Exclusion range (§2.2, §10.8): ExEn and base <= iova <=
   *    limit|FFFh and (Allow or DTE.EX): forwarded untranslated and unchecked. Checked before TV,
   *    as VirtualBox does (the order is unconfirmed, §3.4).
   * 5. A translating DTE (TV = 1, Mode 1-6, no reserved bits): IOTLB lookup by (DomainID, page);
   *    the cached page-table permission is ANDed with the DTE's IR/IW.
   * 6. Otherwise the walk (translateDma, maxLevels = 4 + HATS), from the deepest table the PDE
   *    cache holds for the address, else from the root; a translated success fills the PDE cache
   *    and the IOTLB.
   *
   * DTE V=1, TV=0 (NOVA's and Linux's "blocked") aborts AND logs IO_PAGE_FAULT: §3.4 leaves
   * logging unconfirmed; VirtualBox and openvmm log it (QEMU does not). We log it because NOVA's
   * fault trace and the isolation proof must see every blocked DMA (§11 lists it as unconfirmed).
   * DTE.SA suppresses the IO_PAGE_FAULT event (the request is still aborted, §6.3).
   */
  translate(request: DmaTranslationRequest): DmaTranslation {
    const { bdf, iova, write } = request;
    if (!Number.isInteger(bdf) || bdf < 0 || bdf > 0xffff) {
      throw new NovakitError("NK-IOMMU-210", `DMA request DeviceID ${bdf} is not a 16-bit bus:device.function`, { field: "bdf" });
    }
    if (iova < 0n || iova >= ADDRESS_LIMIT) {
      throw new NovakitError("NK-IOMMU-210", `DMA address 0x${iova.toString(16)} is not a 64-bit address`, { field: "iova" });
    }
    this.counters.translations += 1;
    if (!this.decoded.iommuEnabled) return { ok: true, physicalAddress: iova, translated: false };
    if (bdf >= this.decoded.deviceTableEntries) {
      const flagsWord = write ? IoFaultFlag.RW : 0;
      return this.abort(false, { code: "IO_PAGE_FAULT", reason: "DEVICE_ID_OUT_OF_RANGE", deviceId: bdf, domainId: 0, address: iova, flags: ioFaultFlags(flagsWord), flagsWord, level: 0 });
    }
    const useCache = request.useCache !== false;
    const dte = useCache ? this.cachedDte(bdf) : snapshotDte(this.readDte(bdf), this.maxLevels);
    if (!dte.valid) return { ok: true, physicalAddress: iova, translated: false };
    if (this.excluded(iova, dte)) return { ok: true, physicalAddress: iova, translated: false };
    // a cache never answers an address out of range for this DTE's Mode (§4.1): the full walk faults it
    const page = Number(iova >> 12n);
    const inRange = dte.mode >= MAX_DPT_LEVELS || page < (PAGE_LIMIT[dte.mode] as number);
    if (useCache && dte.translating && inRange) {
      const entry = this.iotlb.lookup(dte.domainId, page);
      if (entry !== undefined) {
        this.counters.iotlbHits += 1;
        if (write ? entry.write && dte.write : entry.read && dte.read) {
          return { ok: true, physicalAddress: entry.frame | (iova & PAGE_OFFSET_MASK), translated: true };
        }
        const flagsWord = (write ? IoFaultFlag.RW : 0) | IoFaultFlag.PR | IoFaultFlag.PE;
        // the leaf's level is not cached: a permission fault answered by the IOTLB reports level 1
        return this.abort(dte.suppressFaults, {
          code: "IO_PAGE_FAULT",
          reason: "PERMISSION",
          deviceId: bdf,
          domainId: dte.domainId,
          address: iova,
          flags: ioFaultFlags(flagsWord),
          flagsWord,
          level: 1,
        });
      }
      this.counters.iotlbMisses += 1;
    }
    const outcome = this.walk(dte, bdf, iova, write, useCache && inRange, false);
    if (!outcome.ok) return this.abort(dte.suppressFaults, outcome.fault);
    if (useCache && outcome.translated) this.fill(dte, bdf, iova, write, outcome.physicalAddress);
    return outcome;
  }

  /**
   * The table walk for an IOTLB miss. With `useDirectories`, it starts at the deepest table the
   * PDE cache holds for the address (a Mode-L walk of the address's low 12 + 9L bits, which are
   * all a level-L table indexes), else at the DTE's root. `probe` walks with the DTE's IR/IW
   * forced on, to learn the page tables' own permissions for the IOTLB.
   */
  private walk(dte: DteSnapshot, bdf: number, iova: bigint, write: boolean, useDirectories: boolean, probe: boolean): DmaTranslation {
    const [q0, q1] = dte.words;
    const memory = this.memory;
    const deviceTableBase = this.decoded.deviceTableBase;
    const maxLevels = this.maxLevels;
    const start = useDirectories && dte.translating ? this.directories.deepest(dte.domainId, Number(iova >> 12n), dte.mode) : undefined;
    if (start === undefined) {
      const dte0 = probe ? q0 | DPT_IR | DPT_IW : q0;
      // the common case on numbers (the walk iommu.walk measures), from the cached DTE; the rest,
      // faults included, is translateDma's from the same DTE
      const physical = translateIoTablesFast(memory, Number(BigInt.asIntN(32, dte0)), Number(BigInt.asIntN(32, dte0 >> 32n)), Number(iova), write, maxLevels);
      if (physical >= 0) return { ok: true, physicalAddress: BigInt(physical), translated: true };
      return translateDma({ memory, deviceTableBase, bdf, iova, write, maxLevels, dte: [dte0, q1] });
    }
    const read = start.read && (probe || dte.read);
    const writable = start.write && (probe || dte.write);
    const root = DTE_V | DTE_TV | (BigInt(start.level) << 9n) | start.table | (read ? DPT_IR : 0n) | (writable ? DPT_IW : 0n);
    const low = iova & (LEVEL_SPAN_MASK[start.level] as bigint);
    const outcome = translateDma({ memory, deviceTableBase, bdf, iova: low, write, maxLevels, dte: [root, q1] });
    return outcome.ok ? outcome : { ok: false, fault: { ...outcome.fault, address: iova } };
  }

  /**
   * Cache what a successful walk learnt: the PDEs it passed (for the PDE cache) and the page, with
   * the page tables' IR/IW (a probe walk answers the access not asked for).
   */
  private fill(dte: DteSnapshot, bdf: number, iova: bigint, write: boolean, physicalAddress: bigint): void {
    const page = Number(iova >> 12n);
    const start = this.directories.deepest(dte.domainId, page, dte.mode) ?? { level: dte.mode, table: dte.words[0] & BASE_ADDRESS_MASK, read: true, write: true };
    for (const entry of directoryEntriesOf(this.memory, page, start)) this.directories.insert(dte.domainId, page, entry);
    const other = this.walk(dte, bdf, iova, !write, true, true).ok;
    this.iotlb.insert(dte.domainId, page, {
      frame: physicalAddress & ~PAGE_OFFSET_MASK,
      read: write ? other : true,
      write: write ? true : other,
    });
  }

  /** an aborted request: counted, and its event logged unless DTE.SA suppresses page faults (§6.3) */
  private abort(suppressFaults: boolean, fault: DmaFault): DmaTranslation {
    this.counters.faults += 1;
    if (fault.code === "IO_PAGE_FAULT" && suppressFaults) this.counters.suppressedEvents += 1;
    else this.settle(() => this.logEvent(eventForDmaFault(fault)));
    return { ok: false, fault };
  }

  private excluded(iova: bigint, dte: DteSnapshot): boolean {
    const range = this.decoded;
    if (range.exclusion === "off" || (range.exclusion === "ex-devices" && !dte.exclusion)) return false;
    return iova >= range.exclusionBase && iova <= range.exclusionLimit;
  }

  private cachedDte(bdf: number): DteSnapshot {
    const cached = this.deviceTableCache.lookup(bdf);
    if (cached !== undefined) return cached;
    const snapshot = snapshotDte(this.readDte(bdf), this.maxLevels);
    this.deviceTableCache.insert(bdf, snapshot);
    return snapshot;
  }

  private readDte(bdf: number): DteWords {
    const at = this.decoded.deviceTableBase + BigInt(bdf * DTE_BYTES);
    return [this.memory.read64(at), this.memory.read64(at + 8n), this.memory.read64(at + 16n), this.memory.read64(at + 24n)];
  }

  /** re-derive what translation needs from the registers after a software write */
  private decodeRegisters(): void {
    const table = this.registers.raw(IommuMmio.DEV_TBL_BASE);
    const exclusion = this.registers.raw(IommuMmio.EXCL_BASE);
    this.decoded = {
      iommuEnabled: (this.registers.raw(IommuMmio.CONTROL) & IommuControl.IOMMU_EN) !== 0n,
      deviceTableBase: table & BASE_ADDRESS_MASK,
      deviceTableEntries: deviceTableEntries(Number(table & DEVICE_TABLE_SIZE_FIELD)),
      exclusion: (exclusion & EXCL_ENABLE) === 0n ? "off" : (exclusion & EXCL_ALLOW_ALL) !== 0n ? "all-devices" : "ex-devices",
      exclusionBase: exclusion & BASE_ADDRESS_MASK,
      exclusionLimit: this.registers.raw(IommuMmio.EXCL_LIMIT) | EXCL_LIMIT_FIXED_ONES,
    };
  }

  // ---------------------------------------------------------------- inspection

  stats(): AmdIommuStats {
    return { ...this.counters };
  }

  /** entries currently held by the IOTLB, the PDE cache and the DTE cache (for tests and reports) */
  cacheOccupancy(): { readonly iotlb: number; readonly directories: number; readonly deviceTable: number } {
    return { iotlb: this.iotlb.size, directories: this.directories.size, deviceTable: this.deviceTableCache.size };
  }
}

function enabled(control: bigint, queueEnable: bigint): boolean {
  return (control & IommuControl.IOMMU_EN) !== 0n && (control & queueEnable) !== 0n;
}
