import type { FuzzTarget } from "../fuzz-target.js";
import { acpiTableTarget } from "./acpi-table/acpi-table-target.js";
import { acpidumpTarget } from "./acpidump/acpidump-target.js";
import { configTarget } from "./config/config-target.js";
import { elfMleTarget } from "./elf-mle/elf-mle-target.js";
import { elfTarget } from "./elf/elf-target.js";
import { expectedValuesTarget } from "./expected-values/expected-values-target.js";
import { fdtTarget } from "./fdt/fdt-target.js";
import { hypercallsTarget } from "./hypercalls/hypercalls-target.js";
import { ivrsTarget } from "./ivrs/ivrs-target.js";
import { platformProfileTarget } from "./platform-profile/platform-profile-target.js";
import { sinitAcmTarget } from "./sinit-acm/sinit-acm-target.js";
import { tcgEventLogTarget } from "./tcg-event-log/tcg-event-log-target.js";
import { tpmCommandTarget } from "./tpm-command/tpm-command-target.js";
import { tpmResponseTarget } from "./tpm-response/tpm-response-target.js";

/** Every parser target: one per format Novakit reads from outside (`npm run fuzz -- --list`). */
export const PARSER_TARGETS: readonly FuzzTarget[] = [
  acpiTableTarget,
  acpidumpTarget,
  ivrsTarget,
  fdtTarget,
  elfTarget,
  elfMleTarget,
  tcgEventLogTarget,
  tpmResponseTarget,
  tpmCommandTarget,
  sinitAcmTarget,
  configTarget,
  platformProfileTarget,
  expectedValuesTarget,
];

/** All targets `--all` runs, in this order: the parsers, then the stateful hypercall fuzzer. */
export const FUZZ_TARGETS: readonly FuzzTarget[] = [...PARSER_TARGETS, hypercallsTarget];

export function findTarget(name: string, targets: readonly FuzzTarget[] = FUZZ_TARGETS): FuzzTarget | undefined {
  return targets.find((target) => target.name === name);
}
