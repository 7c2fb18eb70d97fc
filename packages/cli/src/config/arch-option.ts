import { NovakitError, type Arch } from "@novakit/kernel-core";
import { ARCHES, isArch } from "./arch-targets.js";
import { TARGET_CODES } from "./target-codes.js";

/** `--arch ARCH` of check, boot and compose: undefined when not given, else a known arch (NK-TGT-003 otherwise). */
export function parseArchOption(command: string, text: string | boolean | undefined): Arch | undefined {
  if (typeof text !== "string") return undefined;
  if (isArch(text)) return text;
  throw new NovakitError(TARGET_CODES.unknownArch, `${command}: --arch expects ${ARCHES.join(" or ")}, got "${text}"`, { field: "--arch" }, `run \`novakit ${command} --help\``);
}
