import { describe, expect, it } from "vitest";
import { PsciFirmware, type PsciVersion } from "./psci-firmware.js";
import { AffinityState, decodeFunctionId, psci32, psci64, PsciFunction, PsciReturn, psciReturnName, smcccFunctionId, SmcccOwner } from "./smccc.js";

const RAM = [{ base: 0x4000_0000n, size: 0x8000_0000n }];
const ENTRY = 0x4008_0000n;

function firmware(version: PsciVersion = { major: 1, minor: 0 }) {
  return new PsciFirmware({ cpus: [0n, 1n, 2n, 0x1_0000n], bootCpu: 0n, version, ram: RAM });
}

describe("SMCCC function ids (platform.md §3.1-3.2)", () => {
  it("builds and decodes PSCI ids", () => {
    expect(psci32(PsciFunction.PSCI_VERSION)).toBe(0x8400_0000);
    expect(psci64(PsciFunction.CPU_ON)).toBe(0xc400_0003);
    expect(psci32(PsciFunction.PSCI_FEATURES)).toBe(0x8400_000a);
    expect(smcccFunctionId({ fast: true, smc64: false, owner: SmcccOwner.SIP, number: 0x10 })).toBe(0x8200_0010);
    expect(decodeFunctionId(0xc400_0005)).toEqual({ fast: true, smc64: true, owner: 4, number: 5 });
    expect(psciReturnName(PsciReturn.ALREADY_ON)).toBe("ALREADY_ON");
  });
});

describe("PSCI firmware state machine", () => {
  it("reports its version (major in 31:16)", () => {
    expect(firmware().call(psci32(PsciFunction.PSCI_VERSION), [], 0n).value).toBe(0x1_0000);
    expect(firmware({ major: 0, minor: 2 }).call(psci32(PsciFunction.PSCI_VERSION), [], 0n).value).toBe(2);
  });

  it("keeps secondaries off until CPU_ON, then ON_PENDING until they start", () => {
    const psci = firmware();
    const affinity = (mpidr: bigint) => psci.call(psci64(PsciFunction.AFFINITY_INFO), [mpidr, 0n], 0n).value;
    expect(affinity(0n)).toBe(AffinityState.ON);
    expect(affinity(1n)).toBe(AffinityState.OFF);
    expect(psci.call(psci64(PsciFunction.CPU_ON), [1n, ENTRY, 0x55n], 0n).value).toBe(PsciReturn.SUCCESS);
    expect(affinity(1n)).toBe(AffinityState.ON_PENDING);
    expect(psci.pendingEntryOf(1n)).toEqual({ entry: ENTRY, contextId: 0x55n });
    expect(psci.call(psci64(PsciFunction.CPU_ON), [1n, ENTRY, 0n], 0n).value).toBe(PsciReturn.ON_PENDING);
    psci.cpuStarted(1n);
    expect(affinity(1n)).toBe(AffinityState.ON);
    expect(psci.call(psci64(PsciFunction.CPU_ON), [1n, ENTRY, 0n], 0n).value).toBe(PsciReturn.ALREADY_ON);
    // the boot CPU is already on: NOVA reads ALREADY_ON as "this is the boot CPU"
    expect(psci.call(psci64(PsciFunction.CPU_ON), [0n, ENTRY, 0n], 0n).value).toBe(PsciReturn.ALREADY_ON);
    // Aff2 CPU through the SMC32 id
    expect(psci.call(psci32(PsciFunction.CPU_ON), [0x1_0000n, ENTRY, 0n], 0n).value).toBe(PsciReturn.SUCCESS);
  });

  it("rejects bad CPU_ON and AFFINITY_INFO parameters", () => {
    const psci = firmware();
    expect(psci.call(psci64(PsciFunction.CPU_ON), [7n, ENTRY, 0n], 0n).value).toBe(PsciReturn.INVALID_PARAMETERS);
    expect(psci.call(psci64(PsciFunction.CPU_ON), [2n, ENTRY + 2n, 0n], 0n).value).toBe(PsciReturn.INVALID_ADDRESS);
    expect(psci.call(psci64(PsciFunction.CPU_ON), [2n, 0x1000n, 0n], 0n).value).toBe(PsciReturn.INVALID_ADDRESS);
    expect(psci.call(psci64(PsciFunction.AFFINITY_INFO), [9n, 0n], 0n).value).toBe(PsciReturn.INVALID_PARAMETERS);
    expect(psci.call(psci64(PsciFunction.AFFINITY_INFO), [0n, 1n], 0n).value).toBe(PsciReturn.INVALID_PARAMETERS);
    // SMC32 truncates arguments to 32 bits: MPIDR 0x1_0000_0001 becomes 1
    expect(psci.call(psci32(PsciFunction.CPU_ON), [0x1_0000_0001n, ENTRY, 0n], 0n).value).toBe(PsciReturn.SUCCESS);
    expect(psci.stateOf(1n)).toBe(AffinityState.ON_PENDING);
  });

  it("turns the caller off with CPU_OFF, which does not return", () => {
    const psci = firmware();
    psci.call(psci64(PsciFunction.CPU_ON), [2n, ENTRY, 0n], 0n);
    psci.cpuStarted(2n);
    expect(psci.call(psci32(PsciFunction.CPU_OFF), [], 2n)).toEqual({ value: PsciReturn.SUCCESS, noReturn: true });
    expect(psci.stateOf(2n)).toBe(AffinityState.OFF);
    expect(psci.call(psci32(PsciFunction.CPU_OFF), [], 2n).value).toBe(PsciReturn.DENIED);
    expect(psci.call(psci64(PsciFunction.CPU_ON), [2n, ENTRY, 0n], 0n).value).toBe(PsciReturn.SUCCESS);
  });

  it("answers PSCI_FEATURES from 1.0 on, NOT_SUPPORTED for unimplemented or unknown ids", () => {
    const psci = firmware();
    const features = (id: number) => psci.call(psci32(PsciFunction.PSCI_FEATURES), [BigInt(id)], 0n).value;
    expect(features(psci64(PsciFunction.CPU_ON))).toBe(PsciReturn.SUCCESS);
    expect(features(psci32(PsciFunction.SYSTEM_RESET))).toBe(PsciReturn.SUCCESS);
    expect(features(psci64(PsciFunction.CPU_SUSPEND))).toBe(PsciReturn.NOT_SUPPORTED);
    expect(features(0x8200_0000)).toBe(PsciReturn.NOT_SUPPORTED);
    expect(psci.call(psci64(PsciFunction.CPU_SUSPEND), [], 0n).value).toBe(PsciReturn.NOT_SUPPORTED);
    expect(psci.call(0x0400_0000, [], 0n).value).toBe(PsciReturn.NOT_SUPPORTED);
    const old = firmware({ major: 0, minor: 2 });
    expect(old.call(psci32(PsciFunction.PSCI_FEATURES), [BigInt(psci32(0))], 0n).value).toBe(PsciReturn.NOT_SUPPORTED);
  });

  it("ends the system with SYSTEM_OFF and SYSTEM_RESET", () => {
    const off = firmware();
    expect(off.call(psci32(PsciFunction.SYSTEM_OFF), [], 0n)).toEqual({ value: PsciReturn.SUCCESS, noReturn: true });
    expect(off.systemState).toBe("off");
    expect(off.stateOf(0n)).toBe(AffinityState.OFF);
    expect(off.call(psci32(PsciFunction.PSCI_VERSION), [], 0n).value).toBe(PsciReturn.DENIED);
    const reset = firmware();
    expect(reset.call(psci32(PsciFunction.SYSTEM_RESET), [], 0n).noReturn).toBe(true);
    expect(reset.systemState).toBe("reset");
  });

  it("keeps two firmware instances apart", () => {
    const a = firmware();
    const b = firmware();
    a.call(psci64(PsciFunction.CPU_ON), [1n, ENTRY, 0n], 0n);
    expect(a.stateOf(1n)).toBe(AffinityState.ON_PENDING);
    expect(b.stateOf(1n)).toBe(AffinityState.OFF);
  });
});
