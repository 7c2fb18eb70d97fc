import { NovakitError, type Platform } from "@novakit/kernel-core";
import { CetDiagnostic } from "../cet-diagnostics.js";
import type { CfpLevel } from "../options/cet-options.js";
import { bestCfpLevel, describeCetSupport, gateCfpLevel, unsupportedLevelMessage } from "./cfp-gate.js";

export interface CetFinding {
  readonly severity: "error" | "warning";
  readonly error: NovakitError;
}

export interface CetCheckInput {
  readonly platform: Platform;
  /** the `cfp` option as written; undefined when the configuration leaves it unset */
  readonly requested: CfpLevel | undefined;
  /** configuration file and the field the finding blames */
  readonly file?: string;
  readonly field: string;
}

/**
 * What `check` says about CET on a platform: an error when the requested level needs a feature
 * the CPU lacks; a warning suggesting the strongest level when `cfp` is unset on a CPU that can
 * do more than none. Only x86_64 platforms have CET.
 */
export function cetFindings(input: CetCheckInput): CetFinding[] {
  const { platform, requested } = input;
  if (platform.arch !== "x86_64") return [];
  const location = { ...(input.file !== undefined ? { file: input.file } : {}), field: input.field };
  if (requested === undefined) {
    const best = bestCfpLevel(platform.cpu);
    if (best === "none") return [];
    return [
      {
        severity: "warning",
        error: new NovakitError(
          CetDiagnostic.LEVEL_SUGGESTION,
          `cfp is not set, so NOVA is built with CFP=none, but "${platform.cpu.name}" has ${describeCetSupport(platform.cpu)}: it can run CFP=${best}`,
          location,
          `set "cfp": "${best}" in the options of @novakit/security-cet (or "none" to keep protection off and silence this)`,
        ),
      },
    ];
  }
  const gate = gateCfpLevel(requested, platform.cpu);
  if (gate.supported) return [];
  const best = bestCfpLevel(platform.cpu);
  return [{ severity: "error", error: unsupportedLevelError(gate.level, platform, location, best) }];
}

/** NK-CET-050 for a level the CPU cannot run; also what boot throws. */
export function unsupportedLevelError(level: CfpLevel, platform: Platform, location: { readonly file?: string; readonly field: string }, best = bestCfpLevel(platform.cpu)): NovakitError {
  const gate = gateCfpLevel(level, platform.cpu);
  return new NovakitError(
    CetDiagnostic.UNSUPPORTED_LEVEL,
    `${unsupportedLevelMessage(gate, platform.cpu)} on platform ${platform.name}`,
    location,
    best === "none"
      ? 'use "cfp": "none" on this CPU, or a platform whose CPU has CET'
      : `this CPU can run "cfp": "${best}"; or set "unsupported": "patch" to boot the image with the missing feature patched out, as NOVA would`,
  );
}
