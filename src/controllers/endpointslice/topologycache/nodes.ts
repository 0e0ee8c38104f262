// Which nodes give the topology cache its zones and capacity (k8s.io/endpointslice
// topologycache/topologycache.go SetNodes): each zone's share of the allocatable CPU of Ready,
// non-control-plane nodes, or nothing when any such node lacks a zone or CPU or fewer than two zones remain.

/** What SetNodes reads of a Node. */
export interface TopologyNode {
  name: string;
  /** topology.kubernetes.io/zone; '' when unlabelled. */
  zone: string;
  /** status.allocatable.cpu in millicores (0 when unset). */
  allocatableMilliCPU: number;
  /** The Ready condition is True. */
  ready: boolean;
  /** Labelled node-role.kubernetes.io/control-plane or node-role.kubernetes.io/master (hasExcludedLabels). */
  controlPlane: boolean;
}

export interface ZoneCapacity {
  /** Millicores per zone; undefined when node information is insufficient. */
  cpuByZone?: Map<string, number>;
  /** Each zone's share of the total; undefined when insufficient (every service's hints go). */
  cpuRatiosByZone?: Map<string, number>;
}

/** SetNodes: capacity per zone, in the order zones are first met. */
export function zoneCapacity(nodes: Iterable<TopologyNode>): ZoneCapacity {
  const cpuByZone = new Map<string, number>();
  let total = 0;
  for (const node of nodes) {
    if (node.controlPlane || !node.ready) continue;
    // One node without zone or CPU makes the cluster-wide ratios unusable (upstream bails out at once).
    if (node.zone === '' || node.allocatableMilliCPU <= 0) return {};
    total += node.allocatableMilliCPU;
    cpuByZone.set(node.zone, (cpuByZone.get(node.zone) ?? 0) + node.allocatableMilliCPU);
  }
  if (total === 0 || cpuByZone.size < 2) return {};
  const cpuRatiosByZone = new Map<string, number>();
  for (const [zone, cpu] of cpuByZone) cpuRatiosByZone.set(zone, cpu / total);
  return { cpuByZone, cpuRatiosByZone };
}

/** hasExcludedLabels. */
export function hasExcludedLabels(labels: Record<string, string>): boolean {
  return 'node-role.kubernetes.io/control-plane' in labels || 'node-role.kubernetes.io/master' in labels;
}

/**
 * A CPU quantity (resource.Quantity text: "4", "3500m", "1.5", "2k") in millicores, rounded up as
 * MilliValue does; undefined when it is not a quantity.
 */
export function parseMilliCPU(q: string | number): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) && q >= 0 ? Math.ceil(q * 1000) : undefined;
  const m = /^([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(m|k|M|G|T|Ki|Mi|Gi|Ti|)$/.exec(q.trim());
  if (!m) return undefined;
  const scale: Record<string, number> = { m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };
  return Math.ceil(Number(m[1]) * scale[m[2]] * 1000 - 1e-9);
}
