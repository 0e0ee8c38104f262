// The controller's view of one service's EndpointSlices (its informer cache), indexed so that a sync
// costs what it changes rather than how many slices exist: slices grouped by (address type, port
// list) in creation order, which slice holds each pod key, and which slices break the controller's
// own invariants (not owned by the service, stale labels) and so must always be looked at.
import type { AddressType, Service } from '../../model/cluster.js';
import type { EndpointPort, EndpointSlice } from '../../model/endpointslice.js';
import { ownedBy, sliceLabelsChanged } from './slice-meta.js';

export class SliceGroup {
  /** Slices by name, in the order they were first seen (creation order). */
  readonly slices = new Map<string, EndpointSlice>();
  /** Endpoints in all slices of the group. */
  endpoints = 0;
  /** Slices with fewer than maxEndpointsPerSlice endpoints (the only ones getSliceToFill can pick). */
  withRoom = 0;

  constructor(
    readonly addressType: AddressType,
    readonly ports: readonly EndpointPort[],
    readonly portKey: string,
  ) {}
}

export class SliceIndex {
  private readonly byName = new Map<string, { slice: EndpointSlice; group: SliceGroup; seq: number }>();
  private readonly groups = new Map<string, SliceGroup>();
  /** Per address type: pod key -> the slice holding its endpoint (the first one, if duplicated). */
  private readonly holders = new Map<AddressType, Map<string, string>>();
  /** Slices every sync must inspect: not owned by the service, or non-reserved labels not the service's. */
  private readonly irregular = new Set<string>();
  private nextSeq = 0;

  constructor(
    readonly service: Service,
    readonly maxEndpointsPerSlice: number,
    slices: Iterable<EndpointSlice> = [],
  ) {
    for (const s of slices) this.set(s.name, s);
  }

  get size(): number {
    return this.byName.size;
  }

  get(name: string): EndpointSlice | undefined {
    return this.byName.get(name)?.slice;
  }

  /** Creation order of a slice (stable sort key for "existing order"). */
  seq(name: string): number {
    return this.byName.get(name)?.seq ?? -1;
  }

  /** Groups of an address type, in the order they first appeared. */
  *groupsOf(addressType: AddressType): IterableIterator<SliceGroup> {
    for (const g of this.groups.values()) if (g.addressType === addressType && g.slices.size > 0) yield g;
  }

  /** Address types with at least one slice. */
  addressTypes(): Set<AddressType> {
    const types = new Set<AddressType>();
    for (const g of this.groups.values()) if (g.slices.size > 0) types.add(g.addressType);
    return types;
  }

  countOf(addressType: AddressType): number {
    let n = 0;
    for (const g of this.groupsOf(addressType)) n += g.slices.size;
    return n;
  }

  holder(addressType: AddressType, key: string): string | undefined {
    return this.holders.get(addressType)?.get(key);
  }

  irregularSlices(): ReadonlySet<string> {
    return this.irregular;
  }

  /** Records a stored slice (create or update), or its deletion when `slice` is undefined. */
  set(name: string, slice: EndpointSlice | undefined): void {
    const old = this.byName.get(name);
    const group = slice && this.groupOf(slice);
    if (old) {
      old.group.endpoints -= old.slice.endpoints.length;
      if (old.slice.endpoints.length < this.maxEndpointsPerSlice) old.group.withRoom--;
      if (old.group !== group) old.group.slices.delete(name);
      // Unchanged endpoints are carried over by reference: only the others can lose their holder. A
      // moved one loses it here and gets it back below, with the endpoints the slice holds now.
      const holders = this.holders.get(old.slice.addressType)!;
      const next = slice?.endpoints ?? [];
      old.slice.endpoints.forEach((e, i) => {
        if (next[i] !== e && holders.get(e.key) === name) holders.delete(e.key);
      });
    }
    if (!slice || !group) {
      this.byName.delete(name);
      this.irregular.delete(name);
      return;
    }
    group.slices.set(name, slice);
    group.endpoints += slice.endpoints.length;
    if (slice.endpoints.length < this.maxEndpointsPerSlice) group.withRoom++;
    this.byName.set(name, { slice, group, seq: old?.seq ?? this.nextSeq++ });
    if (ownedBy(slice, this.service) && !sliceLabelsChanged(slice.metadata.labels, this.service)) this.irregular.delete(name);
    else this.irregular.add(name);
    let holders = this.holders.get(slice.addressType);
    if (!holders) this.holders.set(slice.addressType, (holders = new Map()));
    for (const e of slice.endpoints) if (!holders.has(e.key)) holders.set(e.key, name);
  }

  private groupOf(slice: EndpointSlice): SliceGroup {
    const key = `${slice.addressType}\0${slice.portKey}`;
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = new SliceGroup(slice.addressType, slice.ports, slice.portKey)));
    return group;
  }
}
