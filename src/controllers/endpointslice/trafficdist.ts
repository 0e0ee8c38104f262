// Hints from spec.trafficDistribution (k8s.io/endpointslice trafficdist/trafficdist.go ReconcileHints):
// PreferClose and PreferSameZone hint every ready endpoint for its own zone, PreferSameNode for its
// own node too; anything else (or none) means cluster-wide routing: no hints at all. Unchanged slices
// whose hints differ from that are moved into the updates.
import { hintsEqual, withHints, zoneHint, type Endpoint, type EndpointHints, type EndpointSlice } from '../../model/endpointslice.js';

export const PREFER_CLOSE = 'PreferClose';
export const PREFER_SAME_ZONE = 'PreferSameZone';
export const PREFER_SAME_NODE = 'PreferSameNode';
export const ALL_TRAFFIC_DISTRIBUTIONS: readonly string[] = [PREFER_CLOSE, PREFER_SAME_ZONE, PREFER_SAME_NODE];
const CLOSE = new Set(ALL_TRAFFIC_DISTRIBUTIONS);

/** Which heuristic a trafficDistribution value selects: 'zone', 'node' (zone and node hints) or 'none' (defaultHeuristic). */
export type HintHeuristic = 'none' | 'zone' | 'node';

export function heuristicFor(trafficDistribution: string | undefined): HintHeuristic {
  if (trafficDistribution === undefined || !CLOSE.has(trafficDistribution)) return 'none';
  return trafficDistribution === PREFER_SAME_NODE ? 'node' : 'zone';
}

/** The hints a ready endpoint should carry under a heuristic (undefined: none). */
export function wantedHints(e: Endpoint, h: HintHeuristic): EndpointHints | undefined {
  if (h === 'none') return undefined;
  const forNodes = h === 'node' && e.nodeName !== undefined ? [e.nodeName] : undefined;
  if (!forNodes) return e.zone !== undefined ? zoneHint(e.zone) : undefined;
  return e.zone !== undefined ? { forZones: [e.zone], forNodes } : { forNodes };
}

const verdicts: Record<HintHeuristic, WeakMap<EndpointSlice, boolean>> = { none: new WeakMap(), zone: new WeakMap(), node: new WeakMap() };

/**
 * needsUpdate: defaultHeuristic — any endpoint has hints; preferClose — a ready endpoint's zone
 * hint or node hint is missing, wrong, or present where none is wanted. Remembered per slice.
 */
export function needsUpdate(slice: EndpointSlice, h: HintHeuristic): boolean {
  let v = verdicts[h].get(slice);
  if (v === undefined) {
    v = h === 'none' ? slice.endpoints.some((e) => e.hints !== undefined) : slice.endpoints.some((e) => e.conditions.ready && !sameAsWanted(e, h));
    verdicts[h].set(slice, v);
  }
  return v;
}

/** The checks of preferCloseHeuristic.needsUpdate for one ready endpoint. */
function sameAsWanted(e: Endpoint, h: HintHeuristic): boolean {
  const zones = e.hints?.forZones ?? [];
  const nodes = e.hints?.forNodes ?? [];
  const zoneOk = e.zone !== undefined ? zones.length === 1 && zones[0] === e.zone : zones.length === 0;
  const nodeOk = e.nodeName !== undefined && h === 'node' ? nodes.length === 1 && nodes[0] === e.nodeName : nodes.length === 0;
  return zoneOk && nodeOk;
}

/** update: defaultHeuristic strips every endpoint's hints; preferClose sets ready endpoints' hints (others untouched). */
export function updateHints(slice: EndpointSlice, h: HintHeuristic): EndpointSlice {
  let changed = false;
  const endpoints = slice.endpoints.map((e) => {
    if (h !== 'none' && !e.conditions.ready) return e;
    const want = wantedHints(e, h);
    if (hintsEqual(e.hints, want)) return e;
    changed = true;
    return withHints(e, want);
  });
  return changed ? slice.with({ endpoints }) : slice;
}

/** ReconcileHints: the writes with hints as the trafficDistribution wants them, and the slices still unchanged. */
export function reconcileHints(
  trafficDistribution: string | undefined,
  toCreate: readonly EndpointSlice[],
  toUpdate: readonly EndpointSlice[],
  unchanged: readonly EndpointSlice[],
): { toCreate: EndpointSlice[]; toUpdate: EndpointSlice[]; unchanged: EndpointSlice[] } {
  const h = heuristicFor(trafficDistribution);
  const update = [...toUpdate];
  const still: EndpointSlice[] = [];
  for (const s of unchanged) (needsUpdate(s, h) ? update : still).push(s);
  return { toCreate: toCreate.map((s) => updateHints(s, h)), toUpdate: update.map((s) => updateHints(s, h)), unchanged: still };
}
