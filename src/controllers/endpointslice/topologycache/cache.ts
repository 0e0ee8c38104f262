// The topology cache (k8s.io/endpointslice topologycache/topologycache.go, sliceinfo.go, utils.go
// RemoveHintsFromSlices): zone capacity from the nodes, and per service the hints it has allocated;
// AddHints turns one address type's planned writes into writes with zone hints (or without any).
// Slices are immutable here: a slice whose endpoints change is replaced by a copy.
import { withHints, zoneHint, type Endpoint, type EndpointSlice } from '../../../model/endpointslice.js';
import { endpointReady, getAllocations, getGivingAndReceivingZones, getHintsByZone, redistributeHints, serviceOverloaded, zoneHintCounts } from './allocations.js';
import { hintsDisabled, NO_ALLOCATED_HINTS_FOR_ZONES, NO_ZONE_SPECIFIED, TOPOLOGY_AWARE_HINTS_ENABLED, withAddressType, type TopologyEvent } from './events.js';
import { zoneCapacity, type TopologyNode, type ZoneCapacity } from './nodes.js';

/** SliceInfo: one address type's slices of a sync, after the reconciler has planned its writes. */
export interface SliceInfo {
  serviceKey: string;
  addressType: string;
  toCreate: EndpointSlice[];
  toUpdate: EndpointSlice[];
  unchanged: EndpointSlice[];
}

export interface HintedWrites {
  toCreate: EndpointSlice[];
  toUpdate: EndpointSlice[];
  events: TopologyEvent[];
}

// Per immutable slice, what the cache reads of it on every sync (a sync then costs a lookup per unchanged slice).
const readyCounts = new WeakMap<EndpointSlice, number>();
const hintCounts = new WeakMap<EndpointSlice, Map<string, number> | null>();

function readyCount(slice: EndpointSlice): number {
  let n = readyCounts.get(slice);
  if (n === undefined) {
    n = 0;
    for (const e of slice.endpoints) if (endpointReady(e)) n++;
    readyCounts.set(slice, n);
  }
  return n;
}

function zoneHints(slice: EndpointSlice): Map<string, number> | null {
  let c = hintCounts.get(slice);
  if (c === undefined) hintCounts.set(slice, (c = zoneHintCounts(slice.endpoints)));
  return c;
}

/** The slice with these endpoints, or the slice itself when none changed. */
function rebuilt(slice: EndpointSlice, endpoints: readonly Endpoint[]): EndpointSlice {
  return endpoints.every((e, i) => e === slice.endpoints[i]) ? slice : slice.with({ endpoints });
}

/** RemoveHintsFromSlices: no hints on the slices being written; unchanged slices holding hints are rewritten without. */
export function removeHintsFromSlices(si: SliceInfo): void {
  const strip = (s: EndpointSlice) => rebuilt(s, s.endpoints.map((e) => (e.hints ? withHints(e, undefined) : e)));
  si.toCreate = si.toCreate.map(strip);
  si.toUpdate = si.toUpdate.map(strip);
  const unchanged: EndpointSlice[] = [];
  for (const s of si.unchanged) {
    if (s.endpoints.some((e) => e.hints)) si.toUpdate.push(strip(s));
    else unchanged.push(s);
  }
  si.unchanged = unchanged;
}

export class TopologyCache {
  private capacity: ZoneCapacity = {};
  /** Per service key and address type: hinted endpoints per zone (endpointsByService). */
  private readonly endpointsByService = new Map<string, Map<string, Map<string, number>>>();
  /** Services whose hints this cache populated (hintsPopulatedByService). */
  private readonly hintsPopulated = new Set<string>();

  /** SetNodes. */
  setNodes(nodes: Iterable<TopologyNode>): void {
    this.capacity = zoneCapacity(nodes);
  }

  get cpuRatiosByZone(): ReadonlyMap<string, number> | undefined {
    return this.capacity.cpuRatiosByZone;
  }

  /** For tests of upstream cases that set the ratios directly. */
  setCpuRatios(ratios: ReadonlyMap<string, number> | undefined): void {
    this.capacity = ratios ? { cpuRatiosByZone: new Map(ratios) } : {};
  }

  hasPopulatedHints(serviceKey: string): boolean {
    return this.hintsPopulated.has(serviceKey);
  }

  hintsByZone(serviceKey: string, addressType: string): ReadonlyMap<string, number> | undefined {
    return this.endpointsByService.get(serviceKey)?.get(addressType);
  }

  /** RemoveHints. */
  removeHints(serviceKey: string, addressType: string): void {
    const byType = this.endpointsByService.get(serviceKey);
    byType?.delete(addressType);
    if (byType && byType.size === 0) this.endpointsByService.delete(serviceKey);
    this.hintsPopulated.delete(serviceKey);
  }

  private setHints(serviceKey: string, addressType: string, hints: Map<string, number>): void {
    let byType = this.endpointsByService.get(serviceKey);
    if (!byType) this.endpointsByService.set(serviceKey, (byType = new Map()));
    byType.set(addressType, hints);
    this.hintsPopulated.add(serviceKey);
  }

  /** GetOverloadedServices: services whose hints leave some zone under its minimum (sorted keys). */
  getOverloadedServices(): string[] {
    const out: string[] = [];
    for (const [key, byType] of this.endpointsByService) {
      for (const hints of byType.values()) {
        if (serviceOverloaded(hints, this.capacity.cpuRatiosByZone)) {
          out.push(key);
          break;
        }
      }
    }
    return out.sort();
  }

  /**
   * AddHints: zone hints on every ready endpoint of the slices being written, each endpoint's own
   * zone first, then endpoints moved from zones over their CPU share to zones under it; unchanged
   * slices whose hints no longer fit are rewritten too. When hints cannot be used, they are removed.
   * Edits `si` (its lists) and returns the writes with the events to publish.
   */
  addHints(si: SliceInfo): HintedWrites {
    const events: TopologyEvent[] = [];
    const disable = (message: string): HintedWrites => {
      events.push(hintsDisabled(withAddressType(message, si.addressType)));
      this.removeHints(si.serviceKey, si.addressType);
      removeHintsFromSlices(si);
      return { toCreate: si.toCreate, toUpdate: si.toUpdate, events };
    };
    let total = 0;
    for (const list of [si.toCreate, si.toUpdate, si.unchanged]) for (const s of list) total += readyCount(s);
    const a = getAllocations(this.capacity.cpuRatiosByZone, total);
    if ('event' in a) return disable(a.event.message);
    const { allocations } = a;

    // getAllocatedHintsByZone: unchanged slices keep their hints only while they still fit.
    const allocated = new Map<string, number>();
    const unchanged: EndpointSlice[] = [];
    for (const s of si.unchanged) {
      const byZone = getHintsByZone(zoneHints(s), allocated, allocations);
      if (byZone === null) si.toUpdate.push(s);
      else {
        unchanged.push(s);
        for (const [z, n] of byZone) allocated.set(z, (allocated.get(z) ?? 0) + n);
      }
    }
    si.unchanged = unchanged;

    // 1. Every ready endpoint starts hinted for its own zone.
    const slices = [...si.toCreate, ...si.toUpdate];
    const lists = slices.map((s) => [...s.endpoints]);
    for (const endpoints of lists) {
      for (let i = 0; i < endpoints.length; i++) {
        const e = endpoints[i];
        if (!endpointReady(e)) continue;
        if (!e.zone) return disable(NO_ZONE_SPECIFIED);
        allocated.set(e.zone, (allocated.get(e.zone) ?? 0) + 1);
        const h = e.hints;
        const own = h && !h.forNodes?.length && h.forZones?.length === 1 && h.forZones[0] === e.zone;
        if (!own) endpoints[i] = withHints(e, zoneHint(e.zone));
      }
    }
    // 2. Which zones give endpoints and which receive them; 3. move them.
    const { giving, receiving } = getGivingAndReceivingZones(allocations, allocated);
    for (const [zone, d] of redistributeHints(lists, giving, receiving)) allocated.set(zone, (allocated.get(zone) ?? 0) + d);
    if (allocated.size === 0) return disable(NO_ALLOCATED_HINTS_FOR_ZONES);

    const nCreate = si.toCreate.length;
    si.toCreate = slices.slice(0, nCreate).map((s, i) => rebuilt(s, lists[i]));
    si.toUpdate = slices.slice(nCreate).map((s, i) => rebuilt(s, lists[nCreate + i]));
    const wasEnabled = this.hasPopulatedHints(si.serviceKey);
    this.setHints(si.serviceKey, si.addressType, allocated);
    if (!wasEnabled) events.push({ type: 'Normal', reason: 'TopologyAwareHintsEnabled', message: withAddressType(TOPOLOGY_AWARE_HINTS_ENABLED, si.addressType) });
    return { toCreate: si.toCreate, toUpdate: si.toUpdate, events };
  }
}
