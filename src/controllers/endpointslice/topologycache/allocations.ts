// How many endpoints each zone should get, and which endpoints move to reach it (k8s.io/endpointslice
// topologycache/topologycache.go getAllocations, utils.go getGivingAndReceivingZones,
// redistributeHints, getHintsByZone, serviceOverloaded). Pure functions of counts and endpoint lists.
//
// SIM: where upstream walks a Go map (random order: which receiving zone is served first, which of
// two equally short zones getMost picks) zones are taken in sorted order, so runs are deterministic.
import { withHints, zoneHint, type Endpoint } from '../../../model/endpointslice.js';
import { hintsDisabled, INSUFFICIENT_NODE_INFO, INSUFFICIENT_NUMBER_OF_ENDPOINTS, MIN_ALLOCATION_EXCEEDS_OVERLOAD_THRESHOLD, NODES_READY_IN_ONE_ZONE_ONLY, type TopologyEvent } from './events.js';

/** The most overload any one endpoint should see: 20% above its fair share. */
export const OVERLOAD_THRESHOLD = 0.2;

export interface Allocation {
  minimum: number;
  maximum: number;
  desired: number;
}

// EndpointReady (topologycache/utils.go): an unset ready condition counts as not ready.
export const endpointReady = (e: Endpoint): boolean => e.conditions.ready === true;

const sorted = <V>(m: ReadonlyMap<string, V>): [string, V][] => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * getAllocations: per zone, desired = CPU share x endpoints, minimum = ceil(desired / 1.2), maximum =
 * minimum + the endpoints no minimum claims; or the event saying why hints cannot be used.
 */
export function getAllocations(cpuRatiosByZone: ReadonlyMap<string, number> | undefined, numEndpoints: number): { allocations: Map<string, Allocation> } | { event: TopologyEvent } {
  if (!cpuRatiosByZone) return { event: hintsDisabled(INSUFFICIENT_NODE_INFO) };
  const zones = cpuRatiosByZone.size;
  if (zones < 2) return { event: hintsDisabled(NODES_READY_IN_ONE_ZONE_ONLY) };
  if (zones > numEndpoints) return { event: hintsDisabled(`${INSUFFICIENT_NUMBER_OF_ENDPOINTS} (${numEndpoints} endpoints, ${zones} zones)`) };
  const allocations = new Map<string, Allocation>();
  let minTotal = 0;
  for (const [zone, ratio] of cpuRatiosByZone) {
    const desired = ratio * numEndpoints;
    const minimum = Math.ceil(desired * (1 / (1 + OVERLOAD_THRESHOLD)));
    allocations.set(zone, { minimum, maximum: 0, desired: Math.max(desired, minimum) });
    minTotal += minimum;
    if (minTotal > numEndpoints) return { event: hintsDisabled(`${MIN_ALLOCATION_EXCEEDS_OVERLOAD_THRESHOLD} (${numEndpoints} endpoints, ${zones} zones)`) };
  }
  for (const a of allocations.values()) a.maximum = a.minimum + numEndpoints - minTotal;
  return { allocations };
}

/** getMost: the zone with the largest positive value ('' and 0 when none). */
function getMost(zones: ReadonlyMap<string, number>): [string, number] {
  let zone = '';
  let most = 0;
  for (const [z, n] of sorted(zones)) if (n > most) [zone, most] = [z, n];
  return [zone, most];
}

/**
 * getGivingAndReceivingZones: whole endpoints each zone should give away or receive so that each
 * zone's hints come close to its desired count. Moves stop when the biggest surplus or deficit is
 * below 0.5, or both are below 1.
 */
export function getGivingAndReceivingZones(allocations: ReadonlyMap<string, Allocation>, allocatedHintsByZone: ReadonlyMap<string, number>): { giving: Map<string, number>; receiving: Map<string, number> } {
  const givingDesired = new Map<string, number>();
  const receivingDesired = new Map<string, number>();
  for (const [zone, a] of allocations) {
    const allocated = allocatedHintsByZone.get(zone) ?? 0;
    if (allocated > a.desired) givingDesired.set(zone, allocated - a.desired);
    else if (allocated < a.desired) receivingDesired.set(zone, a.desired - allocated);
  }
  const giving = new Map<string, number>();
  const receiving = new Map<string, number>();
  for (;;) {
    const [givingZone, toGive] = getMost(givingDesired);
    const [receivingZone, toReceive] = getMost(receivingDesired);
    if (givingZone === '' || receivingZone === '' || (toGive < 1 && toReceive < 1) || toGive < 0.5 || toReceive < 0.5) break;
    giving.set(givingZone, (giving.get(givingZone) ?? 0) + 1);
    givingDesired.set(givingZone, toGive - 1);
    receiving.set(receivingZone, (receiving.get(receivingZone) ?? 0) + 1);
    receivingDesired.set(receivingZone, toReceive - 1);
  }
  return { giving, receiving };
}

/**
 * redistributeHints: walks the ready endpoints of the slices being written, in order; an endpoint of
 * a giving zone is re-hinted to a receiving zone until one side is used up. Edits `slices` in place
 * (each a mutable endpoint list) and returns the change in hints per zone.
 */
export function redistributeHints(slices: Endpoint[][], giving: Map<string, number>, receiving: Map<string, number>): Map<string, number> {
  const redistributions = new Map<string, number>();
  const add = (zone: string, d: number) => redistributions.set(zone, (redistributions.get(zone) ?? 0) + d);
  for (const endpoints of slices) {
    for (let i = 0; i < endpoints.length; i++) {
      const e = endpoints[i];
      if (!endpointReady(e)) continue;
      if (giving.size === 0 || receiving.size === 0) return redistributions;
      if (!e.zone) continue; // caught earlier by addHints
      const toGive = giving.get(e.zone);
      if (toGive === undefined || toGive <= 0) continue;
      for (const [zone, toReceive] of sorted(receiving)) {
        if (toReceive <= 0) continue;
        endpoints[i] = withHints(e, zoneHint(zone));
        if (toGive === 1) giving.delete(e.zone);
        else giving.set(e.zone, toGive - 1);
        if (toReceive === 1) receiving.delete(zone);
        else receiving.set(zone, toReceive - 1);
        add(zone, 1);
        add(e.zone, -1);
        break;
      }
    }
  }
  return redistributions;
}

/** The zone hints a slice's ready endpoints hold, or null when one of them has none. */
export function zoneHintCounts(endpoints: readonly Endpoint[]): Map<string, number> | null {
  const counts = new Map<string, number>();
  for (const e of endpoints) {
    if (!endpointReady(e)) continue;
    const zones = e.hints?.forZones;
    if (!zones || zones.length === 0) return null;
    for (const z of zones) counts.set(z, (counts.get(z) ?? 0) + 1);
  }
  return counts;
}

/**
 * getHintsByZone: the hints an unchanged slice contributes per zone, or null when the slice must be
 * rewritten (an endpoint without a zone hint, a hint for a zone that gets no allocation, or a zone
 * pushed over its maximum). `counts` is zoneHintCounts of the slice (kept per slice by callers).
 */
export function getHintsByZone(counts: ReadonlyMap<string, number> | null, allocatedHintsByZone: ReadonlyMap<string, number>, allocations: ReadonlyMap<string, Allocation>): ReadonlyMap<string, number> | null {
  if (counts === null) return null;
  for (const zone of counts.keys()) if (!allocations.has(zone)) return null;
  for (const [zone, n] of counts) if (n + (allocatedHintsByZone.get(zone) ?? 0) > allocations.get(zone)!.maximum) return null;
  return counts;
}

/** serviceOverloaded: some zone holds fewer hinted endpoints than its minimum (or none at all). */
export function serviceOverloaded(hintsByZone: ReadonlyMap<string, number>, cpuRatiosByZone: ReadonlyMap<string, number> | undefined): boolean {
  if (hintsByZone.size === 0) return false;
  if (!cpuRatiosByZone || cpuRatiosByZone.size === 0) return true;
  let total = 0;
  for (const n of hintsByZone.values()) total += n;
  for (const [zone, ratio] of cpuRatiosByZone) {
    const have = hintsByZone.get(zone);
    if (have === undefined) return true;
    if (have < Math.ceil(total * ratio * (1 / (1 + OVERLOAD_THRESHOLD)))) return true;
  }
  return false;
}
