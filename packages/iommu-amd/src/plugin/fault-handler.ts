import type { DriverState } from "./driver-state.js";
import { faultEventOf, formatEventLine } from "./fault-report.js";
import { EventCode, isDeviceEvent, type IommuEvent } from "./iommu-event.js";
import { ControlBit, MmioRegister, StatusBit } from "./mmio-registers.js";
import type { SmmuUnit } from "./smmu-unit.js";
import { spinUntil } from "./spin-wait.js";

/**
 * NOVA's SMMU interrupt handler (vector VEC_FLT, shared by all units; nova.md §4.7). The
 * simulator delivers the interrupt when a CPU next takes one: the plugin calls this from the
 * `tick` hook and at `shutdown`, so a burst of faults between two ticks can fill the 256-entry
 * log exactly as on hardware. Per unit:
 * 1. read STS once;
 * 2. EventLogInt set: write it back (RW1C), consume every event up to EVT_TAIL (a command error
 *    gets its bad command replaced by a plain COMPLETION_WAIT), write EVT_HEAD;
 * 3. restart: CmdBufRun clear -> toggle CmdBufEn; EventOverflow set -> toggle EventLogEn once
 *    EvtLogRun dropped, clearing the overflow (reference/amd-iommu.md §6.1).
 */
export function handleSmmuInterrupt(state: DriverState): void {
  for (const unit of state.units) handleUnit(state, unit);
}

function handleUnit(state: DriverState, unit: SmmuUnit): void {
  const hardware = unit.hardware;
  const status = hardware.mmioRead64(MmioRegister.STATUS);
  const eventPending = (status & StatusBit.EVENT_LOG_INT) !== 0n;
  const overflowed = (status & StatusBit.EVENT_OVERFLOW) !== 0n;
  const halted = (status & StatusBit.CMD_BUF_RUN) === 0n;
  if (!eventPending && !overflowed && !halted) return;

  if (eventPending) {
    hardware.mmioWrite64(MmioRegister.STATUS, StatusBit.EVENT_LOG_INT);
    for (const event of unit.eventLog.consume()) {
      state.counters.eventsLogged++;
      if (event.code === EventCode.ILLEGAL_COMMAND_ERROR || event.code === EventCode.COMMAND_HARDWARE_ERROR) {
        const repaired = unit.queue.replaceCommandAtHead();
        state.kernel.log(`SMMU: ${unit.name} Bad Command at 0x${repaired.toString(16)}`);
      }
      report(state, unit, event);
    }
  }
  if (halted) {
    const control = hardware.mmioRead64(MmioRegister.CONTROL);
    hardware.mmioWrite64(MmioRegister.CONTROL, control & ~ControlBit.CMD_BUF_EN);
    hardware.mmioWrite64(MmioRegister.CONTROL, control | ControlBit.CMD_BUF_EN);
    state.counters.commandQueueRestarts++;
  }
  if (overflowed) {
    const control = hardware.mmioRead64(MmioRegister.CONTROL);
    hardware.mmioWrite64(MmioRegister.CONTROL, control & ~ControlBit.EVENT_LOG_EN);
    if (!spinUntil(() => (hardware.mmioRead64(MmioRegister.STATUS) & StatusBit.EVENT_LOG_RUN) === 0n)) {
      state.kernel.log(`SMMU: ${unit.name} event log did not stop within 5 ms (Faulty HW?)`);
    }
    hardware.mmioWrite64(MmioRegister.STATUS, StatusBit.EVENT_OVERFLOW);
    hardware.mmioWrite64(MmioRegister.CONTROL, control | ControlBit.EVENT_LOG_EN);
    state.counters.overflowRestarts++;
    // NOVA only restarts the log; a careful driver also says how much it lost (the unit counts
    // the events it discarded while the log was full or stopped) and publishes the loss
    const dropped = hardware.stats?.().droppedEvents;
    const lost = dropped === undefined ? undefined : dropped - (state.droppedAtLastRestart.get(unit.name) ?? 0);
    if (dropped !== undefined) state.droppedAtLastRestart.set(unit.name, dropped);
    const line = `SMMU: ${unit.name} event log overflowed${lost === undefined ? "" : ` (${lost} event${lost === 1 ? "" : "s"} dropped)`}, restarted`;
    state.kernel.log(line);
    if (state.options.faultLog) state.hooks.fault.call({ kind: "dma", timeNs: state.kernel.nowNs(), device: unit.name, detail: line });
  }
}

/** faultLog on: one boot-log line and a `fault` hook event per event; off: consumed silently */
function report(state: DriverState, unit: SmmuUnit, event: IommuEvent): void {
  if (!state.options.faultLog) return;
  const context = {
    unitName: unit.name,
    segment: unit.segment,
    owner: isDeviceEvent(event) ? state.domainIds.owner(event.domainId) : undefined,
  };
  const line = formatEventLine(event, context);
  state.kernel.log(line);
  state.hooks.fault.call(faultEventOf(event, context, state.kernel.nowNs(), line));
}
