import { describe, expect, it } from "vitest";
import { Hypercall } from "../abi/hypercall-numbers.js";
import { NovaObjectSelector, RootObjectSelector } from "../abi/well-known-selectors.js";
import { definePlugin } from "../plugin/plugin-definition.js";
import type { KernelState } from "../kernel-state/kernel-state.js";
import type { KernelObject } from "../objects/kernel-object.js";
import { ObjectSpace } from "../objects/object-space.js";
import { CreatePdOp } from "./userland-api.js";
import { createTestKernel } from "../testkit/boot-test-kernel.js";
import { RootHelper } from "../testkit/root-helper.js";
import type { UserlandApi } from "./workload.js";

const WORKERS = 4;
const CALLS_PER_WORKER = 25_000;
/** where each worker finds its capabilities (the random calls only write below it) */
const Given = { PD: 32, OBJ: 33, HST: 34, PIO: 35, SM: 36, NOVA_HST: 37, PEER_OBJ: 38, PORTAL: 39, LAST: 40 } as const;

/** one random hypercall as a fuzzer would issue it: any number, flags, selectors near the given ones */
async function randomHypercall(api: UserlandApi, inHandler = false): Promise<void> {
  const r = () => api.randomU32();
  let number = r() % 16;
  if (number === Hypercall.ipc_reply) number = Hypercall.ipc_call; // a global EC that replies waits forever
  // a handler calling back into a portal of its own (busy) EC would help itself forever: a
  // genuine deadlock of the simulated program, not something the kernel can resolve
  if (inHandler && number === Hypercall.ipc_call) number = Hypercall.ctrl_sc;
  const flags = r() % 16;
  let selector = BigInt(r() % 3 === 0 ? r() % 64 : Given.PD + (r() % (Given.LAST - Given.PD)));
  const small = (): bigint => BigInt(r() % 48);
  const order = r() % 10 === 0 ? r() % 32 : r() % 5;
  const args: bigint[] = [small(), small(), small(), BigInt(r())];
  if (number === Hypercall.ctrl_pd) {
    args[1] = (BigInt(r() % 16) << 12n) | BigInt(order); // source base, order
    args[2] = (BigInt(r() % 16) << 12n) | BigInt(r() % 32); // destination base below the given slots, pmm
    args[3] = BigInt(r() % 8);
    if (r() % 2 === 0) {
      // mostly well-formed space pairs, so many copies actually happen
      const spaces = [Given.OBJ, Given.PEER_OBJ, Given.HST, Given.NOVA_HST, Given.PIO];
      selector = BigInt(spaces[r() % spaces.length]!);
      args[0] = BigInt([Given.OBJ, Given.PEER_OBJ, Given.HST, Given.PIO][r() % 4]!);
    }
  }
  if (number === Hypercall.create_ec) args[1] = BigInt(r() % 3); // hvp 0, cpu 0..2 (2 is BAD_CPU)
  if (number === Hypercall.create_sc) args[2] = BigInt(r() % 0x800000);
  if (number === Hypercall.ctrl_sm && (flags & 1) !== 0) args[0] = BigInt(api.now() + 1 + (r() % 50_000)); // always a deadline
  await api.hypercall(number | (flags << 4), selector, args);
}

interface InvariantReport {
  readonly objects: number;
  readonly mismatches: string[];
}

/** reference counts = capabilities + references held by live objects + the kernel's own pins */
function checkReferenceCounts(state: KernelState): InvariantReport {
  const expected = new Map<KernelObject, number>();
  const bump = (object: KernelObject) => expected.set(object, (expected.get(object) ?? 0) + 1);
  const pinned: KernelObject[] = [state.novaPd, state.novaObjectSpace, state.novaHostSpace, ...state.idleEcs];
  if (state.novaPioSpace) pinned.push(state.novaPioSpace);
  if (state.novaMsrSpace) pinned.push(state.novaMsrSpace);
  for (const object of pinned) bump(object);
  const mismatches: string[] = [];
  const all = [...state.objects.all()];
  for (const object of all) {
    for (const held of object.heldReferences()) bump(held);
    if (object instanceof ObjectSpace) {
      for (const [selector, capability] of object.entries()) {
        bump(capability.object);
        const defined = capability.object.definedPermissions;
        if (capability.permissions === 0 || (capability.permissions & ~defined) !== 0) {
          mismatches.push(`space ${object.id} selector ${selector}: permissions 0x${capability.permissions.toString(16)} outside 0x${defined.toString(16)}`);
        }
        if (!all.includes(capability.object)) mismatches.push(`space ${object.id} selector ${selector}: names destroyed object ${capability.object.id}`);
      }
    }
  }
  for (const object of all) {
    const want = expected.get(object) ?? 0;
    if (object.referenceCount !== want) mismatches.push(`object ${object.id} (${object.subtypeName}): count ${object.referenceCount}, references ${want}`);
  }
  return { objects: all.length, mismatches };
}

describe("random hypercalls from several PDs", () => {
  it("100 000 calls raise nothing and keep reference counts and permission monotonicity", async () => {
    const finished: number[] = [];
    const amplified: string[] = [];
    let objectCopies = 0;
    let stateRef: KernelState | undefined;
    const checker = definePlugin({
      name: "@novakit/test-delegation-checker",
      version: "0.0.0",
      kind: "exporter",
      register(context) {
        // every object-space copy: no destination capability has a permission its source lacked
        context.hooks.delegated.tap(context.pluginName, (event) => {
          const state = stateRef;
          if (!state || event.kind !== "OBJ") return;
          const source = (state.objects.get(event.sourcePd) as { objectSpace?: ObjectSpace } | undefined)?.objectSpace;
          const destination = (state.objects.get(event.destinationPd) as { objectSpace?: ObjectSpace } | undefined)?.objectSpace;
          if (!source || !destination) return;
          const count = 2 ** event.order;
          objectCopies++;
          const ssb = Number(event.sourceBase);
          const dsb = Number(event.destinationBase);
          if (source === destination && Math.abs(ssb - dsb) < count) return; // overlapping self-copy
          for (let i = 0; i < count; i++) {
            const from = source.lookup(ssb + i);
            const to = destination.lookup(dsb + i);
            if (to === undefined) continue;
            if (!from || from.object !== to.object || (to.permissions & ~(from.permissions & event.mask)) !== 0) {
              amplified.push(`copy ${ssb + i} -> ${dsb + i}: 0x${to.permissions.toString(16)} from 0x${(from?.permissions ?? 0).toString(16)} mask 0x${event.mask.toString(16)}`);
            }
          }
        });
        // the state exists from the memory phase on; grab it before the root task runs
        context.hooks.root.tapPromise(context.pluginName, async () => {
          stateRef = kernel.internals.state;
        });
      },
    });
    const kernel = createTestKernel({
      seed: 2024,
      durationMs: 2_000,
      platform: { cpus: 2, ramMiB: 256 },
      plugins: [checker],
      rootTask: async (api) => {
        const root = new RootHelper(api);
        const ROOT_PD = RootObjectSelector.ROOT_PD;
        const novaHost = root.selector();
        await root.must("NOVA host space", api.ctrlPd(RootObjectSelector.NOVA_OBJ, RootObjectSelector.ROOT_OBJ, { sourceBase: NovaObjectSelector.NOVA_HST, destinationBase: novaHost, order: 0, permissionMask: 0x2 }));
        const children: { pd: number; obj: number; hst: number; pio: number; sm: number }[] = [];
        for (let i = 0; i < WORKERS; i++) {
          const pd = root.selector();
          await root.must("create_pd", api.createPd(pd, ROOT_PD, CreatePdOp.PD));
          const obj = root.selector();
          await root.must("OBJ", api.createPd(obj, pd, CreatePdOp.OBJ));
          const hst = root.selector();
          await root.must("HST", api.createPd(hst, pd, CreatePdOp.HST));
          const pio = root.selector();
          await root.must("PIO", api.createPd(pio, pd, CreatePdOp.PIO));
          const sm = root.selector();
          await root.must("SM", api.createSm(sm, pd, 1));
          children.push({ pd, obj, hst, pio, sm });
        }
        const give = (child: (typeof children)[number], source: number, slot: number, mask = 0x1f) =>
          root.must("give", api.ctrlPd(RootObjectSelector.ROOT_OBJ, child.obj, { sourceBase: source, destinationBase: slot, order: 0, permissionMask: mask }));
        for (const [i, child] of children.entries()) {
          const peer = children[(i + 1) % children.length]!;
          // a portal served by a local EC of the child that itself makes a few random calls
          const server = root.selector();
          await root.must(
            "server EC",
            api.createEc(server, child.pd, {
              kind: "local",
              cpu: 0,
              eventBase: 0x1000,
              handler: async (serverApi) => {
                for (let n = serverApi.randomU32() % 3; n > 0; n--) await randomHypercall(serverApi, true);
                return BigInt(serverApi.randomU32() % 600);
              },
            }),
          );
          const portal = await root.portal(server);
          for (const [source, slot] of [[child.pd, Given.PD], [child.obj, Given.OBJ], [child.hst, Given.HST], [child.pio, Given.PIO], [child.sm, Given.SM], [novaHost, Given.NOVA_HST], [peer.obj, Given.PEER_OBJ], [portal, Given.PORTAL]] as const) {
            await give(child, source, slot);
          }
        }
        for (const [i, child] of children.entries()) {
          // startup portal of the worker, in its own object space
          if (i < 2) await root.eventPortal(i % 2, 32);
          const startup = 0x20000 + (i % 2) * 0x200 + 32;
          await give(child, startup, 0x3000 + 32, 0x4);
          const worker = root.selector();
          await root.must(
            "worker",
            api.createEc(worker, child.pd, {
              kind: "global",
              cpu: i % 2,
              eventBase: 0x3000,
              body: async (workerApi) => {
                for (let n = 0; n < CALLS_PER_WORKER; n++) await randomHypercall(workerApi);
                finished.push(i);
              },
            }),
          );
          await root.must("worker SC", api.createSc(root.selector(), ROOT_PD, worker, { priority: 10 + i, budgetMs: 1 }));
        }
      },
    });
    const result = await kernel.boot();
    expect(finished.sort()).toEqual([0, 1, 2, 3]);
    expect(result.stats.hypercalls).toBeGreaterThanOrEqual(WORKERS * CALLS_PER_WORKER);
    const report = checkReferenceCounts(kernel.internals.state!);
    expect(report.mismatches).toEqual([]);
    expect(report.objects).toBeGreaterThan(50);
    expect(objectCopies).toBeGreaterThan(100);
    expect(amplified).toEqual([]);
  }, 60_000);
});
