/**
 * NOVA gives every DMA space a 16-bit domain id (SDID) from an allocator (nova.md §4.1); the
 * IOTLB tags translations with it. Here a space gets its id the first time a device is assigned
 * to it and keeps it for the life of the kernel (object ids are never reused), so a device table
 * entry and an IOTLB tag always name the same space. DomainID 0 is left unused: it is the id a
 * zeroed entry would carry.
 */
export const MAX_DOMAIN_ID = 0xffff;

export class DomainIds {
  private nextId = 1;
  private readonly bySpace = new Map<number, number>();
  private readonly owners = new Map<number, DomainOwner>();

  /** the space's domain id, allocated on first use; undefined once all 65535 are taken */
  idFor(owner: DomainOwner): number | undefined {
    const known = this.bySpace.get(owner.spaceId);
    if (known !== undefined) return known;
    if (this.nextId > MAX_DOMAIN_ID) return undefined;
    const id = this.nextId++;
    this.bySpace.set(owner.spaceId, id);
    this.owners.set(id, owner);
    return id;
  }

  /** the id of a space that has one, without allocating */
  peek(spaceId: number): number | undefined {
    return this.bySpace.get(spaceId);
  }

  /** which DMA space (and PD) a domain id belongs to, for fault reports */
  owner(domainId: number): DomainOwner | undefined {
    return this.owners.get(domainId);
  }
}

export interface DomainOwner {
  readonly spaceId: number;
  readonly ownerPd: number;
}
