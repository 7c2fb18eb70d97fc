import { NovakitError, type Platform } from "@novakit/kernel-core";
import { LaunchDiagnostic } from "../launch-diagnostics.js";

export type LaunchMethod = "txt" | "skinit";
/** The plugin option: a method, or "auto" = TXT on Intel, SKINIT on AMD. */
export type LaunchMethodOption = LaunchMethod | "auto";

/**
 * Which DRTM the platform gets. TXT needs an Intel CPU (GETSEC is Intel's), SKINIT an AMD one;
 * asking for the other vendor's is refused with NK-TXT-002, the diagnostic `check` reports.
 */
export function resolveLaunchMethod(option: LaunchMethodOption, platform: Platform): LaunchMethod {
  const vendor = platform.cpu.vendor;
  if (platform.arch !== "x86_64" || (vendor !== "intel" && vendor !== "amd")) {
    throw new NovakitError(LaunchDiagnostic.NO_LAUNCH_METHOD, `no measured launch on ${platform.arch} with a ${vendor} CPU: TXT needs Intel, SKINIT AMD (x86_64)`, { field: "platform" });
  }
  if (option === "auto") return vendor === "intel" ? "txt" : "skinit";
  if (option === "txt" && vendor === "amd") {
    throw new NovakitError(
      LaunchDiagnostic.METHOD_VENDOR_MISMATCH,
      `Intel TXT was requested, but ${platform.name} has an AMD CPU (${platform.cpu.name}): GETSEC[SENTER] does not exist there`,
      { field: 'plugins["@novakit/txt-launch"].options.method' },
      'use method "skinit" (or "auto") on AMD',
    );
  }
  if (option === "skinit" && vendor === "intel") {
    throw new NovakitError(
      LaunchDiagnostic.METHOD_VENDOR_MISMATCH,
      `AMD SKINIT was requested, but ${platform.name} has an Intel CPU (${platform.cpu.name}): SKINIT is AMD's instruction`,
      { field: 'plugins["@novakit/txt-launch"].options.method' },
      'use method "txt" (or "auto") on Intel',
    );
  }
  return option;
}
