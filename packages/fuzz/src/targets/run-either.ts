import { isNovakitError } from "@novakit/kernel-core";

/**
 * For inputs that may be one of several things (a hypervisor or a root-task ELF): runs every
 * step, so each reader sees every input; passes when at least one step accepted the input and
 * none threw anything but a NovakitError. A finding never hides behind another step's diagnostic.
 */
export function runEither(steps: readonly (() => unknown)[]): void {
  const thrown: unknown[] = [];
  for (const step of steps) {
    try {
      step();
    } catch (error) {
      thrown.push(error);
    }
  }
  const finding = thrown.find((error) => !isNovakitError(error));
  if (finding !== undefined) throw finding;
  if (thrown.length === steps.length) throw thrown[0];
}
