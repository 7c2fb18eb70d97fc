import { Status, statusName } from "../abi/status.js";
import { RootObjectSelector } from "../abi/well-known-selectors.js";
import { NovakitError } from "../errors/novakit-error.js";
import type { EcBody, HypercallResult, PortalHandler, SchedulingParameters, UserlandApi } from "../sim/workload.js";

/** SELEVT of ECs the helper makes on `cpu`: a window of 0x200 selectors per CPU. */
export const helperEventBase = (cpu: number): number => 0x20000 + cpu * 0x200;
/** x86 host architectural event count (§2.6); STARTUP = +0, RECALL = +1 after it. */
const X86_HOST_EVENTS = 32;

/**
 * Helpers for a test root task (TestKernelOptions.rootTask): make objects in the root PD through
 * hypercalls and fail loudly when one does not succeed.
 */
export class RootHelper {
  private next = 0x100;
  private readonly startupPortals = new Set<number>();

  constructor(readonly api: UserlandApi) {}

  selector(): number {
    return this.next++;
  }

  async must(what: string, call: Promise<HypercallResult>): Promise<HypercallResult> {
    const result = await call;
    if (result.status !== Status.SUCCESS) throw new NovakitError("NK-KRN-225", `${what} failed with ${statusName(result.status)}`);
    return result;
  }

  /** a local EC of the root PD on `cpu` serving calls with `handler` */
  async localEc(cpu: number, handler: PortalHandler): Promise<number> {
    const ec = this.selector();
    await this.must("create_ec(local)", this.api.createEc(ec, RootObjectSelector.ROOT_PD, { kind: "local", cpu, eventBase: helperEventBase(cpu), handler }));
    return ec;
  }

  async portal(ec: number, ip = 0): Promise<number> {
    const pt = this.selector();
    await this.must("create_pt", this.api.createPt(pt, RootObjectSelector.ROOT_PD, ec, ip));
    return pt;
  }

  /** a portal at `eventBase(cpu) + event` served by a fresh local EC replying `replyMtd` */
  async eventPortal(cpu: number, event: number, handler: PortalHandler = async () => 0n): Promise<void> {
    const ec = await this.localEc(cpu, handler);
    await this.must(
      "create_pt(event)",
      this.api.createPt(helperEventBase(cpu) + event, RootObjectSelector.ROOT_PD, ec, event),
    );
  }

  /** a global EC on `cpu` running `body` once its SC is bound (STARTUP handled by a helper portal) */
  async globalEc(cpu: number, body: EcBody, parameters: SchedulingParameters, options: { startupPortal?: boolean } = {}): Promise<{ ec: number; sc: number }> {
    if ((options.startupPortal ?? true) && !this.startupPortals.has(cpu)) {
      this.startupPortals.add(cpu);
      await this.eventPortal(cpu, X86_HOST_EVENTS);
    }
    const ec = this.selector();
    await this.must(
      "create_ec(global)",
      this.api.createEc(ec, RootObjectSelector.ROOT_PD, { kind: "global", cpu, eventBase: helperEventBase(cpu), body }),
    );
    const sc = this.selector();
    await this.must("create_sc", this.api.createSc(sc, RootObjectSelector.ROOT_PD, ec, parameters));
    return { ec, sc };
  }

  async semaphore(count: bigint | number = 0): Promise<number> {
    const sm = this.selector();
    await this.must("create_sm", this.api.createSm(sm, RootObjectSelector.ROOT_PD, count));
    return sm;
  }

  /** sleep the root EC until absolute time `deadlineNs` (a down on a private semaphore) */
  async sleepUntil(deadlineNs: number): Promise<void> {
    const sm = await this.semaphore(0);
    await this.api.ctrlSm(sm, { down: true, deadlineNs });
  }
}
