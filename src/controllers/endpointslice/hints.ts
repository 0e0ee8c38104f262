// The hints step of reconcileByAddressType (k8s.io/endpointslice reconciler.go, after the
// placeholder and before finalize): the topology-mode annotation (topology cache) wins over
// spec.trafficDistribution; with neither, hints are stripped. One code path for `slicesim reconcile`
// and the simulation.
import type { Service } from '../../model/cluster.js';
import type { EndpointSlice } from '../../model/endpointslice.js';
import { removeHintsFromSlices, type SliceInfo, type TopologyCache } from './topologycache/cache.js';
import { hintsDisabled, TOPOLOGY_AWARE_HINTS_DISABLED, withAddressType, type TopologyEvent } from './topologycache/events.js';
import { ALL_TRAFFIC_DISTRIBUTIONS, reconcileHints } from './trafficdist.js';

export const ANNOTATION_TOPOLOGY_MODE = 'service.kubernetes.io/topology-mode';
export const ANNOTATION_TOPOLOGY_AWARE_HINTS = 'service.kubernetes.io/topology-aware-hints';

export interface HintOptions {
  /** The topology cache; absent when the TopologyAwareHints gate is off (upstream passes nil). */
  cache?: TopologyCache;
  /**
   * spec.trafficDistribution values honoured (endpointSliceController.trafficDistributions): none
   * without the ServiceTrafficDistribution gate, PreferSameZone and PreferSameNode only with the
   * PreferSameTrafficDistribution gate.
   */
  trafficDistributions: readonly string[];
}

/** hintsEnabled: the deprecated topology-aware-hints annotation, else topology-mode, is Auto or auto. */
export function hintsEnabled(annotations: Record<string, string> | undefined): boolean {
  const a = annotations ?? {};
  const v = ANNOTATION_TOPOLOGY_AWARE_HINTS in a ? a[ANNOTATION_TOPOLOGY_AWARE_HINTS] : a[ANNOTATION_TOPOLOGY_MODE];
  return v === 'Auto' || v === 'auto';
}

/** validTrafficDistribution: set, and a value the release's gates allow (PreferClose, PreferSameZone, PreferSameNode). */
export function validTrafficDistribution(td: string | undefined, allowed: readonly string[]): boolean {
  return td !== undefined && ALL_TRAFFIC_DISTRIBUTIONS.includes(td) && allowed.includes(td);
}

/** Does this service ever carry hints? (If not, and no stored slice has any, the step is a no-op.) */
export function usesHints(service: Service, opts: HintOptions): boolean {
  return (opts.cache !== undefined && hintsEnabled(service.annotations)) || validTrafficDistribution(service.trafficDistribution, opts.trafficDistributions);
}

export interface HintResult {
  toCreate: EndpointSlice[];
  toUpdate: EndpointSlice[];
  events: TopologyEvent[];
  /** Names of unchanged slices rewritten only for their hints. */
  hintOnlyUpdates: string[];
}

/** The hints step for one address type; `unchanged` are the existing slices neither updated nor deleted. */
export function reconcileTopologyHints(service: Service, addressType: string, toCreate: EndpointSlice[], toUpdate: EndpointSlice[], unchanged: EndpointSlice[], opts: HintOptions): HintResult {
  const si: SliceInfo = { serviceKey: `${service.namespace}/${service.name}`, addressType, toCreate, toUpdate: [...toUpdate], unchanged };
  const auto = hintsEnabled(service.annotations);
  const canUseTrafficDistribution = validTrafficDistribution(service.trafficDistribution, opts.trafficDistributions) && !auto;
  let events: TopologyEvent[] = [];
  if (opts.cache && auto) {
    events = opts.cache.addHints(si).events;
  } else {
    if (opts.cache) {
      if (opts.cache.hasPopulatedHints(si.serviceKey)) events.push(hintsDisabled(withAddressType(TOPOLOGY_AWARE_HINTS_DISABLED, addressType)));
      opts.cache.removeHints(si.serviceKey, addressType);
    }
    if (!canUseTrafficDistribution) removeHintsFromSlices(si);
  }
  if (canUseTrafficDistribution) {
    const r = reconcileHints(service.trafficDistribution, si.toCreate, si.toUpdate, si.unchanged);
    si.toCreate = r.toCreate;
    si.toUpdate = r.toUpdate;
  }
  return { toCreate: si.toCreate, toUpdate: si.toUpdate, events, hintOnlyUpdates: si.toUpdate.slice(toUpdate.length).map((x) => x.name) };
}
