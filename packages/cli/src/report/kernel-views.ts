import type { NovakitKernel } from "@novakit/kernel-core";

/**
 * Types of the kernel's state as `NovakitKernel.internals` hands it out. kernel-core exports the
 * kernel, not its object classes, so the report names them through the kernel's own signatures
 * and tells objects apart by NOVA's type and subtype (reference/nova.md §1.1), never by class.
 */
export type KernelStateView = NonNullable<NovakitKernel["internals"]["state"]>;
export type KernelObjectView = ReturnType<KernelStateView["objects"]["all"]> extends IterableIterator<infer O> ? O : never;
export type ProtectionDomainView = KernelStateView["novaPd"];
export type ObjectSpaceView = KernelStateView["novaObjectSpace"];

/** A PD proper (type PD, subtype PD), not one of its spaces. */
export function isProtectionDomain(object: KernelObjectView): object is ProtectionDomainView {
  return object.type === "PD" && object.subtypeName === "PD";
}

/** A space (type PD with a space subtype, §1.1) holds its PD in `pd`. */
export function isSpace(object: KernelObjectView): object is KernelObjectView & { readonly pd: ProtectionDomainView } {
  return object.type === "PD" && object.subtypeName !== "PD" && "pd" in object;
}

/** An object space (subtype OBJ): the capability slots of its PD. */
export function isObjectSpace(object: KernelObjectView): object is ObjectSpaceView {
  return object.type === "PD" && object.subtypeName === "OBJ" && "entries" in object;
}
