// The controller's view of one service's EndpointSlices (its informer cache), indexed so that a sync
// costs what it changes rather than how many slices exist: slices grouped by (address type, port
// list) in creation order, which slice holds each pod key, and which slices break the controller's
// own invariants (not owned by the service, stale labels) and so must always be looked at.
import type { AddressType, Service } from '../../model/cluster.js';
import type { Endpoint, EndpointPort, EndpointSlice } from '../../model/endpointslice.js';
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
      this.pairEndpoints(name, this.holders.get(old.slice.addressType)!, old.slice.endpoints, slice?.endpoints ?? []);
    } else if (slice) for (let j = 0; j < slice.endpoints.length; j++) this.added.push(j);
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
    const added = this.added;
    for (let n = added.length, j = 0; j < n; j++) {
      const e = slice.endpoints[added[j]];
      if (!holders.has(e.key)) holders.set(e.key, name);
    }
    added.length = 0;
  }

  /** Indexes (into the slice's new endpoints) of the endpoints it did not hold before: scratch for set(). */
  private readonly added: number[] = [];

  /**
   * Endpoints carried over from the previous version of a slice are the same objects in the same
   * relative order (the reconciler keeps order and appends), so pairing the two lists in order finds
   * them without hashing: those keep their holder. The previous ones not carried over lose it (when it
   * is this slice), and the new ones are left in `added` for set() to register. A key duplicated in
   * another slice is not re-registered here when its holder drops it: the simulated controller writes
   * no duplicates, and `slicesim reconcile` walks every slice (fullScan), as upstream does.
   */
  private pairEndpoints(name: string, holders: Map<string, string>, prev: readonly Endpoint[], next: readonly Endpoint[]): void {
    // Pairing costs a scan per new endpoint; a slice rewritten wholesale (a recycled one) would make that
    // quadratic, so past a linear budget every previous endpoint not at its old index lets go instead.
    let budget = 4 * (prev.length + next.length);
    let i = 0;
    for (let j = 0; j < next.length; j++) {
      let k = i;
      while (k < prev.length && prev[k] !== next[j]) k++;
      budget -= k - i;
      if (budget < 0) return this.releaseAll(name, holders, prev, next);
      if (k === prev.length) {
        this.added.push(j);
        continue;
      }
      for (; i < k; i++) if (holders.get(prev[i].key) === name) holders.delete(prev[i].key);
      i = k + 1;
    }
    for (; i < prev.length; i++) if (holders.get(prev[i].key) === name) holders.delete(prev[i].key);
  }

  /** The previous endpoints not at the same index let go of their holder; every new one is registered again. */
  private releaseAll(name: string, holders: Map<string, string>, prev: readonly Endpoint[], next: readonly Endpoint[]): void {
    prev.forEach((e, i) => {
      if (next[i] !== e && holders.get(e.key) === name) holders.delete(e.key);
    });
    this.added.length = 0;
    for (let j = 0; j < next.length; j++) this.added.push(j);
  }

  private groupOf(slice: EndpointSlice): SliceGroup {
    const key = `${slice.addressType}\0${slice.portKey}`;
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = new SliceGroup(slice.addressType, slice.ports, slice.portKey)));
    return group;
  }
}
