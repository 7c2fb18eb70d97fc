import { readFileSync } from "node:fs";
import { fixturesPath } from "../profiles/fixtures-path.js";

/** TEST ONLY: the bytes of a file under fixtures/. */
export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(fixturesPath(name)));
}

export const FIXTURE_DTBS = ["qemu-virt-gicv2-el2.dtb", "qemu-virt-gicv3-el2.dtb", "qemu-virt-gicv3-smmuv3.dtb"] as const;
