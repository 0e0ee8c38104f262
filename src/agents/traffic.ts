// Client traffic to a Service as every node's kube-proxy rules spread it (topology.ts decides which
// endpoints a node uses). Requests are not simulated one by one: a node sends a steady rate, spread
// evenly over the endpoints its rules hold, so what matters is, per node, the set it uses. Nodes
// alike share the set: within a zone every node without an endpoint or hint of its own uses the same
// one, so an evaluation walks the zones, the few nodes that hold endpoints or node hints, and the
// endpoints once (for the busiest one): O(zones² + endpoints), redone only after a change.
import type { ProxyEndpoint, ProxyGates, ProxyService } from './topology.js';

/** Counts per key, kept by adding and removing endpoint copies. */
class Counter<K> extends Map<K, number> {
  bump(k: K, d: number): void {
    const n = (this.get(k) ?? 0) + d;
    if (n === 0) this.delete(k);
    else this.set(k, n);
  }
  n(k: K): number {
    return this.get(k) ?? 0;
  }
}

/** Endpoints hinted for one zone (or node), counted by the zone they are in. */
class HintCounts {
  readonly byZone = new Map<string, Counter<string>>();
  readonly total = new Counter<string>();
  bump(target: string, locatedIn: string, d: number): void {
    let c = this.byZone.get(target);
    if (!c) this.byZone.set(target, (c = new Counter()));
    c.bump(locatedIn, d);
    this.total.bump(target, d);
  }
  inZone(target: string, zone: string): number {
    return this.byZone.get(target)?.n(zone) ?? 0;
  }
}

/** What kube-proxy holds of one Service: endpoint copies by source (a slice, or a pod), with aggregates. */
export class ServiceEndpoints {
  private readonly bySource = new Map<string, readonly ProxyEndpoint[]>();
  ready = 0;
  readyWithoutZoneHint = 0;
  readyWithoutNodeHint = 0;
  servingTerminating = 0;
  readonly readyInZone = new Counter<string>();
  readonly readyOnNode = new Counter<string>();
  readonly stInZone = new Counter<string>();
  readonly stOnNode = new Counter<string>();
  readonly zoneHints = new HintCounts();
  readonly nodeHints = new HintCounts();
  /**
   * Ready endpoints by (zone, zone hints): without node-specific sets every endpoint of a group has
   * the same load, so the busiest one is found per group, not per endpoint.
   */
  readonly readyGroups = new Map<string, { zone: string; forZones: readonly string[]; count: number }>();
  /** Bumped on every change; an evaluation is reused while it is unchanged. */
  version = 0;

  /** Replaces what one source (a slice name, a pod key) holds; [] removes it. O(endpoints of the source). */
  set(source: string, endpoints: readonly ProxyEndpoint[]): void {
    const old = this.bySource.get(source);
    if (old) for (const e of old) this.count(e, -1);
    if (endpoints.length) this.bySource.set(source, endpoints);
    else this.bySource.delete(source);
    for (const e of endpoints) this.count(e, 1);
    this.version++;
  }

  *endpoints(): IterableIterator<ProxyEndpoint> {
    for (const list of this.bySource.values()) yield* list;
  }

  private count(e: ProxyEndpoint, d: number): void {
    const zone = e.zone ?? '';
    const node = e.nodeName ?? '';
    if (e.ready) {
      this.ready += d;
      this.readyInZone.bump(zone, d);
      this.readyOnNode.bump(node, d);
      const forZones = e.forZones ?? [];
      const key = `${zone}\0${forZones.join('\0')}`;
      const g = this.readyGroups.get(key);
      if (g) {
        g.count += d;
        if (g.count === 0) this.readyGroups.delete(key);
      } else this.readyGroups.set(key, { zone, forZones, count: d });
      if (!e.forZones?.length) this.readyWithoutZoneHint += d;
      for (const z of e.forZones ?? []) this.zoneHints.bump(z, zone, d);
      if (!e.forNodes?.length) this.readyWithoutNodeHint += d;
      for (const n of e.forNodes ?? []) this.nodeHints.bump(n, zone, d);
    } else if (e.serving && e.terminating) {
      this.servingTerminating += d;
      this.stInZone.bump(zone, d);
      this.stOnNode.bump(node, d);
    }
  }
}

/** The clients: each node's request rate and zone (failed nodes send nothing). */
export interface Clients {
  zones: readonly string[];
  /** Live client nodes' total rate per zone. */
  zoneRate(zone: string): number;
  /** A node's rate and zone (0 when it is down or unknown). */
  node(name: string): { rate: number; zone: string } | undefined;
  /** Live nodes per zone. */
  zoneNodes(zone: string): number;
}

export interface ZoneTraffic {
  /** Requests per second sent from the zone's nodes, dropped, and sent to another zone. */
  sent: number;
  dropped: number;
  crossZone: number;
  readyEndpoints: number;
  /** Ready endpoints hinted for the zone. */
  hintedEndpoints: number;
  /** The busiest endpoint in the zone over the mean (0 when none receives traffic). */
  maxLoadRatio: number;
}

export interface TrafficState {
  sent: number;
  dropped: number;
  crossZone: number;
  /** The busiest endpoint's load over the mean load of the endpoints that can serve. */
  maxLoadRatio: number;
  zones: Map<string, ZoneTraffic>;
}

/** Which set of endpoints a class of nodes uses (see topology.ts: endpointsForTraffic). */
type Choice =
  | { kind: 'drop' }
  | { kind: 'all' | 'allServingTerminating' }
  | { kind: 'zoneHint' | 'inZone'; zone: string }
  | { kind: 'nodeHint' | 'onNode' | 'localServingTerminating'; node: string };

/**
 * The set a node (or, with node undefined, any node of the zone holding no endpoint and named by no
 * node hint) uses, as endpointsForTraffic would choose it from the aggregates.
 */
function choose(s: ServiceEndpoints, svc: ProxyService, gates: ProxyGates, zone: string, node: string | undefined): Choice {
  const onNode = node === undefined ? 0 : s.readyOnNode.n(node);
  if (gates.serviceTopology && svc.topologyKeys?.length) {
    for (const key of svc.topologyKeys) {
      if (key === '*' || key === 'topology.kubernetes.io/region') {
        if (s.ready > 0) return { kind: 'all' };
        if (key === '*') return { kind: 'drop' };
      } else if (key === 'kubernetes.io/hostname') {
        if (onNode > 0) return { kind: 'onNode', node: node! };
      } else if (key === 'topology.kubernetes.io/zone') {
        if (zone !== '' && s.readyInZone.n(zone) > 0) return { kind: 'inZone', zone };
      }
    }
    return { kind: 'drop' };
  }
  if (svc.internalTrafficPolicy === 'Local') {
    if (onNode > 0) return { kind: 'onNode', node: node! };
    if (node !== undefined && s.stOnNode.n(node) > 0) return { kind: 'localServingTerminating', node };
    return { kind: 'drop' };
  }
  if (s.ready > 0) {
    if (gates.nodeHints && node !== undefined && s.readyWithoutNodeHint === 0 && s.nodeHints.total.n(node) > 0) return { kind: 'nodeHint', node };
    if (gates.zoneHints && s.readyWithoutZoneHint === 0 && s.zoneHints.total.n(zone) > 0) return { kind: 'zoneHint', zone };
    return { kind: 'all' };
  }
  return s.servingTerminating > 0 ? { kind: 'allServingTerminating' } : { kind: 'drop' };
}

/** Size of a chosen set and how many of its endpoints are in `zone`. */
function measure(s: ServiceEndpoints, c: Choice, zone: string): { size: number; sameZone: number } {
  switch (c.kind) {
    case 'drop':
      return { size: 0, sameZone: 0 };
    case 'all':
      return { size: s.ready, sameZone: s.readyInZone.n(zone) };
    case 'allServingTerminating':
      return { size: s.servingTerminating, sameZone: s.stInZone.n(zone) };
    case 'zoneHint':
      return { size: s.zoneHints.total.n(c.zone), sameZone: s.zoneHints.inZone(c.zone, zone) };
    case 'inZone':
      return { size: s.readyInZone.n(c.zone), sameZone: s.readyInZone.n(c.zone) };
    case 'nodeHint':
      return { size: s.nodeHints.total.n(c.node), sameZone: s.nodeHints.inZone(c.node, zone) };
    case 'onNode':
      return { size: s.readyOnNode.n(c.node), sameZone: s.readyOnNode.n(c.node) };
    case 'localServingTerminating':
      return { size: s.stOnNode.n(c.node), sameZone: s.stOnNode.n(c.node) };
  }
}

/** Load per endpoint of each set: rate sent to the set / its size, summed over the nodes using it. */
class Loads {
  all = 0;
  allServingTerminating = 0;
  readonly zoneHint = new Map<string, number>();
  readonly inZone = new Map<string, number>();
  readonly nodeHint = new Map<string, number>();
  readonly onNode = new Map<string, number>();
  readonly localServingTerminating = new Map<string, number>();

  add(c: Choice, perEndpoint: number): void {
    const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + perEndpoint);
    if (c.kind === 'all') this.all += perEndpoint;
    else if (c.kind === 'allServingTerminating') this.allServingTerminating += perEndpoint;
    else if (c.kind === 'zoneHint' || c.kind === 'inZone') bump(this[c.kind], c.zone);
    else if (c.kind === 'nodeHint' || c.kind === 'onNode' || c.kind === 'localServingTerminating') bump(this[c.kind], c.node);
  }

  /** Some set is node-specific: loads differ endpoint by endpoint. */
  perEndpoint(): boolean {
    return this.onNode.size > 0 || this.nodeHint.size > 0 || this.localServingTerminating.size > 0;
  }

  of(e: ProxyEndpoint): number {
    const node = e.nodeName ?? '';
    if (e.ready) {
      let load = this.all + (this.onNode.get(node) ?? 0) + (this.inZone.get(e.zone ?? '') ?? 0);
      for (const z of e.forZones ?? []) load += this.zoneHint.get(z) ?? 0;
      for (const n of e.forNodes ?? []) load += this.nodeHint.get(n) ?? 0;
      return load;
    }
    if (e.serving && e.terminating) return this.allServingTerminating + (this.localServingTerminating.get(node) ?? 0);
    return 0;
  }
}

/** Where one Service's client traffic goes now. */
export function evaluateTraffic(s: ServiceEndpoints, svc: ProxyService, gates: ProxyGates, clients: Clients): TrafficState {
  const zones = new Map<string, ZoneTraffic>();
  for (const z of clients.zones) {
    zones.set(z, { sent: 0, dropped: 0, crossZone: 0, readyEndpoints: s.readyInZone.n(z), hintedEndpoints: s.zoneHints.total.n(z), maxLoadRatio: 0 });
  }
  const loads = new Loads();
  const send = (zone: string, rate: number, c: Choice) => {
    const zt = zones.get(zone);
    if (!zt || rate <= 0) return;
    zt.sent += rate;
    const { size, sameZone } = measure(s, c, zone);
    if (size === 0) {
      zt.dropped += rate;
      return;
    }
    zt.crossZone += (rate * (size - sameZone)) / size;
    loads.add(c, rate / size);
  };
  // Nodes whose set can differ from their zone's other nodes: those holding endpoints or named by node hints.
  const special = new Map<string, number>();
  const byKeys = gates.serviceTopology && (svc.topologyKeys?.length ?? 0) > 0;
  const perNode = byKeys
    ? svc.topologyKeys!.includes('kubernetes.io/hostname')
    : svc.internalTrafficPolicy === 'Local' || (gates.nodeHints && s.ready > 0 && s.readyWithoutNodeHint === 0);
  if (perNode) {
    for (const n of [...s.readyOnNode.keys(), ...s.stOnNode.keys(), ...s.nodeHints.total.keys()]) {
      const c = clients.node(n);
      if (c && c.rate > 0 && !special.has(n)) special.set(n, c.rate);
    }
  }
  const specialRate = new Counter<string>();
  for (const [n, rate] of special) {
    const zone = clients.node(n)!.zone;
    specialRate.bump(zone, rate);
    send(zone, rate, choose(s, svc, gates, zone, n));
  }
  for (const z of clients.zones) {
    const rest = clients.zoneRate(z) - specialRate.n(z);
    if (rest > 1e-9) send(z, rest, choose(s, svc, gates, z, undefined));
  }

  // The busiest endpoint, over the cluster and per zone, against the mean of the endpoints that can serve.
  let sent = 0;
  let dropped = 0;
  let crossZone = 0;
  for (const zt of zones.values()) {
    sent += zt.sent;
    dropped += zt.dropped;
    crossZone += zt.crossZone;
  }
  const usable = s.ready > 0 ? s.ready : s.servingTerminating;
  const mean = usable > 0 ? (sent - dropped) / usable : 0;
  let max = 0;
  const maxInZone = new Map<string, number>();
  const note = (zone: string, load: number) => {
    if (load > max) max = load;
    if (load > (maxInZone.get(zone) ?? 0)) maxInZone.set(zone, load);
  };
  if (loads.perEndpoint()) {
    for (const e of s.endpoints()) if (e.ready || (e.serving && e.terminating)) note(e.zone ?? '', loads.of(e));
  } else {
    for (const g of s.readyGroups.values()) note(g.zone, loads.of({ zone: g.zone, forZones: g.forZones, ready: true, serving: true, terminating: false }));
    if (loads.allServingTerminating > 0) for (const z of s.stInZone.keys()) note(z, loads.allServingTerminating);
  }
  for (const [z, zt] of zones) zt.maxLoadRatio = mean > 0 ? (maxInZone.get(z) ?? 0) / mean : 0;
  return { sent, dropped, crossZone, maxLoadRatio: mean > 0 ? max / mean : 0, zones };
}
