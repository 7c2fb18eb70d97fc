import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  createKernel,
  NovaObjectSelector,
  RootObjectSelector,
  Status,
  testSchedulerPlugin,
  type EcBody,
  type UserlandApi,
} from "@novakit/kernel-core";
import { archX86_64Plugin } from "./plugin.js";
import { qemuQ35AmdIommuProfile } from "./profiles/qemu-q35-amd-iommu.js";
import { saveProfile } from "./profiles/profile-json.js";

/**
 * Address-size limits (reference/nova.md §3.3, paging.md §1): a 5-level host space reaches
 * 2^56 bytes of user virtual addresses (H = 56, 57-bit input), a 4-level one 2^47; physical
 * addresses reach the CPU's physical width (48 bits = 256 TB here). ctrl_pd answers BAD_PAR for
 * any range beyond its space.
 */
const scratch = mkdtempSync(join(tmpdir(), "novakit-address-limits-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The q35 profile with a 48-bit physical address width (a 256 TB machine). */
function profile48(): string {
  const base = qemuQ35AmdIommuProfile();
  const path = join(scratch, "q35-48bit.profile.json");
  writeFileSync(path, saveProfile({ ...base, name: "q35-48bit", cpu: { ...base.cpu, physicalAddressBits: 48 } }, scratch));
  return path;
}

const NOVA_HST = 0x100; // root selectors the test copies the NOVA and root host spaces to
const ROOT_HST = 0x101;
const RAM_PAGE = 0x200n; // a physical page of RAM (2 MiB), mapped nowhere yet

async function delegate(api: UserlandApi, physicalPage: bigint, virtualPage: bigint): Promise<number> {
  const outcome = await api.ctrlPd(NOVA_HST, ROOT_HST, { sourceBase: physicalPage, destinationBase: virtualPage, order: 0, permissionMask: 0x3 });
  return outcome.status;
}

async function limits(pagingLevels: 4 | 5): Promise<Record<string, number>> {
  const statuses: Record<string, number> = {};
  const rootTask: EcBody = async (api) => {
    const copy = (from: number, to: number) =>
      api.ctrlPd(RootObjectSelector.NOVA_OBJ, RootObjectSelector.ROOT_OBJ, { sourceBase: from, destinationBase: to, order: 0, permissionMask: 0x1f });
    expect((await copy(NovaObjectSelector.NOVA_HST, NOVA_HST)).status).toBe(Status.SUCCESS);
    expect((await copy(NovaObjectSelector.ROOT_HST, ROOT_HST)).status).toBe(Status.SUCCESS);
    const userTop = 1n << BigInt(pagingLevels === 5 ? 56 - 12 : 47 - 12); // first page past the user half
    statuses["lastUserPage"] = await delegate(api, RAM_PAGE, userTop - 2n); // the top page holds the HIP
    statuses["pastUserHalf"] = await delegate(api, RAM_PAGE, userTop);
    statuses["lastPhysicalPage"] = await delegate(api, (1n << 36n) - 1n, 0x1000n);
    statuses["pastPhysicalWidth"] = await delegate(api, 1n << 36n, 0x1000n);
  };
  const kernel = createKernel({
    config: { name: "limits", arch: "x86_64", platform: profile48(), domains: [], durationMs: 1 },
    plugins: [
      { plugin: archX86_64Plugin, options: { pagingLevels }, source: "test: arch" },
      { plugin: testSchedulerPlugin(), source: "test: scheduler" },
    ],
    configDir: scratch,
    rootTask,
  });
  await kernel.boot();
  return statuses;
}

describe("address-size limits of x86_64 host spaces", () => {
  it("5-level: user addresses up to 2^56 (128 PB of 57-bit input), physical up to 2^48 (256 TB)", async () => {
    expect(await limits(5)).toEqual({
      lastUserPage: Status.SUCCESS,
      pastUserHalf: Status.BAD_PAR,
      // the NOVA host space names every physical page below 2^48; page 2^36-1 is not RAM but
      // copying its (empty or MMIO) capability is legal
      lastPhysicalPage: Status.SUCCESS,
      pastPhysicalWidth: Status.BAD_PAR,
    });
  });

  it("4-level: user addresses stop at 2^47", async () => {
    const statuses = await limits(4);
    expect(statuses["lastUserPage"]).toBe(Status.SUCCESS);
    expect(statuses["pastUserHalf"]).toBe(Status.BAD_PAR);
  });
});
