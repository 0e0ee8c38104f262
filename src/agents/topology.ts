// Which endpoints kube-proxy on one node uses for a Service's internal (cluster IP) traffic:
// kubernetes/kubernetes pkg/proxy/topology.go (CategorizeEndpoints, topologyModeFromHints,
// availableForTopology) for hints and internalTrafficPolicy, and, for releases 1.17-1.21, the
// Service Topology filter (FilterTopologyEndpoint: the first topologyKeys entry whose matching
// endpoints are non-empty; no match at all drops the traffic). A pure function of one node and the
// endpoints it holds; the traffic model (traffic.ts) computes the same per zone and node class.

export interface ProxyEndpoint {
  nodeName?: string;
  zone?: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  forZones?: readonly string[];
  forNodes?: readonly string[];
}

export interface ProxyService {
  internalTrafficPolicy: 'Cluster' | 'Local';
  /** spec.topologyKeys (1.17-1.21); empty or absent: not used. */
  topologyKeys?: readonly string[];
}

/** What this release's kube-proxy reads (feature gates). */
export interface ProxyGates {
  /** Zone hints are honoured (TopologyAwareHints or ServiceTrafficDistribution). */
  zoneHints: boolean;
  /** Node hints are honoured (PreferSameTrafficDistribution). */
  nodeHints: boolean;
  /** topologyKeys are honoured (ServiceTopology, 1.17-1.21). */
  serviceTopology: boolean;
}

export interface ProxyNode {
  name: string;
  zone: string;
}

export type TopologyMode = '' | 'PreferSameZone' | 'PreferSameNode';

export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_ZONE = 'topology.kubernetes.io/zone';
export const LABEL_REGION = 'topology.kubernetes.io/region';
export const TOPOLOGY_KEY_ANY = '*';

const has = (list: readonly string[] | undefined, x: string) => list !== undefined && list.includes(x);
const isLocal = (e: ProxyEndpoint, node: ProxyNode) => e.nodeName === node.name;
const servingTerminating = (e: ProxyEndpoint) => e.serving && e.terminating;

/**
 * topologyModeFromHints: PreferSameNode when node hints are honoured, every ready endpoint has one
 * and one names this node; else PreferSameZone when every ready endpoint has a zone hint and one
 * names this node's zone; else '' (every ready endpoint).
 */
export function topologyModeFromHints(endpoints: readonly ProxyEndpoint[], node: ProxyNode, gates: ProxyGates): TopologyMode {
  let anyReady = false;
  let allNode = true;
  let forNode = false;
  let allZone = true;
  let forZone = false;
  for (const e of endpoints) {
    if (!e.ready) continue;
    anyReady = true;
    if (!e.forNodes?.length) allNode = false;
    else if (has(e.forNodes, node.name)) forNode = true;
    if (!e.forZones?.length) allZone = false;
    else if (has(e.forZones, node.zone)) forZone = true;
  }
  if (!anyReady) return '';
  if (gates.nodeHints && allNode && forNode) return 'PreferSameNode';
  if (gates.zoneHints && allZone && forZone) return 'PreferSameZone';
  return '';
}

function availableForTopology(e: ProxyEndpoint, mode: TopologyMode, node: ProxyNode): boolean {
  if (mode === 'PreferSameNode') return has(e.forNodes, node.name);
  if (mode === 'PreferSameZone') return has(e.forZones, node.zone);
  return true;
}

/** CategorizeEndpoints' cluster endpoints: ready ones the topology mode allows, else serving-terminating ones. */
export function clusterEndpoints<E extends ProxyEndpoint>(endpoints: readonly E[], node: ProxyNode, gates: ProxyGates): E[] {
  const mode = topologyModeFromHints(endpoints, node, gates);
  const usable = endpoints.filter((e) => e.ready && availableForTopology(e, mode, node));
  return usable.length > 0 ? usable : endpoints.filter(servingTerminating);
}

/** CategorizeEndpoints' local endpoints: ready ones on this node, else serving-terminating ones on it. */
export function localEndpoints<E extends ProxyEndpoint>(endpoints: readonly E[], node: ProxyNode): E[] {
  const ready = endpoints.filter((e) => isLocal(e, node) && e.ready);
  return ready.length > 0 ? ready : endpoints.filter((e) => isLocal(e, node) && servingTerminating(e));
}

/** The node's and an endpoint's value of a topology label. SIM: one region for the whole cluster. */
function label(key: string, node: ProxyNode | undefined, e?: ProxyEndpoint): string | undefined {
  if (key === LABEL_HOSTNAME) return e ? e.nodeName : node?.name;
  if (key === LABEL_ZONE) return e ? e.zone : node?.zone;
  if (key === LABEL_REGION) return 'region';
  return undefined;
}

/**
 * FilterTopologyEndpoint (1.17-1.21): for each key in order, `*` takes every endpoint, otherwise the
 * endpoints whose label equals the node's; the first non-empty set wins, and none leaves nothing.
 * Only ready endpoints are considered (terminating endpoints came with 1.22).
 */
export function filterTopologyEndpoint<E extends ProxyEndpoint>(endpoints: readonly E[], topologyKeys: readonly string[], node: ProxyNode): E[] {
  const ready = endpoints.filter((e) => e.ready);
  for (const key of topologyKeys) {
    if (key === TOPOLOGY_KEY_ANY) return ready;
    const want = label(key, node);
    if (!want) continue;
    const matching = ready.filter((e) => label(key, undefined, e) === want);
    if (matching.length > 0) return matching;
  }
  return [];
}

/** The endpoints this node's rules send the Service's internal traffic to (empty: the traffic is dropped). */
export function endpointsForTraffic<E extends ProxyEndpoint>(endpoints: readonly E[], service: ProxyService, node: ProxyNode, gates: ProxyGates): E[] {
  if (gates.serviceTopology && service.topologyKeys?.length) return filterTopologyEndpoint(endpoints, service.topologyKeys, node);
  return service.internalTrafficPolicy === 'Local' ? localEndpoints(endpoints, node) : clusterEndpoints(endpoints, node, gates);
}
