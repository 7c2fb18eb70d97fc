import { NovakitError } from "../errors/novakit-error.js";
import type { KernelObject } from "../objects/kernel-object.js";
import { MAX_OBJECT_ID, type ObjectResolver } from "../objects/object-space.js";

/** All live kernel objects by id. Ids are handed out in creation order (deterministic), from 1. */
export class ObjectRegistry implements ObjectResolver {
  private readonly objects = new Map<number, KernelObject>();
  private next = 1;

  allocateId(): number {
    if (this.next > MAX_OBJECT_ID) {
      throw new NovakitError("NK-KRN-104", `more than ${MAX_OBJECT_ID} kernel objects were created`, { field: "objectId" });
    }
    return this.next++;
  }

  add(object: KernelObject): void {
    this.objects.set(object.id, object);
  }

  remove(id: number): void {
    this.objects.delete(id);
  }

  get(id: number): KernelObject | undefined {
    return this.objects.get(id);
  }

  get size(): number {
    return this.objects.size;
  }

  all(): IterableIterator<KernelObject> {
    return this.objects.values();
  }
}
