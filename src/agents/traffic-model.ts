// The traffic columns of one model's run: services with `traffic` get their endpoints as kube-proxy
// receives them (EndpointSlices from the watch, with hints; in the endpoints model, Endpoints, which
// carry no topology), clients on every live node, and at each sample the routing is re-evaluated if
// anything changed (traffic.ts). Rates are integrated over time per phase: requests sent, dropped and
// sent across zones, the busiest endpoint's load ratio, and the writes hints alone cost.
// SIM: routing changes when the API server sends a change, not when each node's kube-proxy has
// received and applied it (the lag is what programming latency measures); every node routes alike.
import type { Node, Pod, Service } from '../model/cluster.js';
import type { EndpointSlice } from '../model/endpointslice.js';
import { LABEL_SERVICE_NAME } from '../model/endpointslice.js';
import type { StoredObject } from '../apiserver/store.js';
import type { ResolvedScenario } from '../scenario/resolve.js';
import type { ProxyEndpoint, ProxyGates, ProxyService } from './topology.js';
import { evaluateTraffic, ServiceEndpoints, type Clients, type TrafficState } from './traffic.js';

/** Per phase: requests (rate x seconds) sent, dropped and sent to another zone; the highest load ratio seen. */
export interface TrafficTotals {
  sent: number;
  dropped: number;
  crossZone: number;
  maxLoadRatio: number;
  hintWrites: number;
}

/** One topology.csv row: a zone at a sample time. */
export interface ZoneSample {
  time: number;
  phase: string;
  zone: string;
  nodes: number;
  requestsPerSecond: number;
  crossZone: number;
  dropped: number;
  readyEndpoints: number;
  hintedEndpoints: number;
  maxLoadRatio: number;
}

export interface TrafficReport {
  byPhase: TrafficTotals[];
  total: TrafficTotals;
  samples: ZoneSample[];
}

const zero = (): TrafficTotals => ({ sent: 0, dropped: 0, crossZone: 0, maxLoadRatio: 0, hintWrites: 0 });

/** Does any service of the scenario have client traffic (and so the traffic columns)? */
export const hasTraffic = (scenario: { services: readonly { traffic?: unknown }[] }): boolean => scenario.services.some((s) => s.traffic !== undefined);

/** Each node's share of a service's requests: evenly, by CPU, or by zone share spread over the zone's nodes. */
function nodeWeights(nodes: readonly Node[], from: 'nodes' | 'cpu' | Record<string, number>): number[] {
  if (from === 'nodes') return nodes.map(() => 1);
  if (from === 'cpu') return nodes.map((n) => n.allocatableMilliCPU ?? 0);
  const perZone = new Map<string, number>();
  for (const n of nodes) perZone.set(n.zone, (perZone.get(n.zone) ?? 0) + 1);
  return nodes.map((n) => (from[n.zone] ?? 0) / (perZone.get(n.zone) ?? 1));
}

interface Tracked {
  service: Service;
  svc: ProxyService;
  endpoints: ServiceEndpoints;
  rates: Map<string, number>;
  state?: TrafficState;
  evaluatedAt: string;
  /** Client rates per zone, for the nodes' state of `clientsVersion`. */
  clients?: Clients;
  clientsVersion?: number;
}

export class TrafficModel {
  private readonly tracked: Tracked[] = [];
  private readonly byKey = new Map<string, Tracked>();
  private readonly byIndex = new Map<number, Tracked>();
  private readonly gates: ProxyGates;
  private readonly nodeByName: Map<string, Node>;
  private readonly zones: string[];
  private nodesVersion = 0;
  private last = 0;
  private dirty = true;
  /** The busiest endpoint's ratio at the last sample, until it is known to have lasted. */
  private sampledMax: number | undefined;
  private phase = 0;
  readonly report: TrafficReport = { byPhase: [zero()], total: zero(), samples: [] };

  constructor(
    scenario: ResolvedScenario,
    private readonly nodes: readonly Node[],
    services: readonly Service[],
    /** The primary address type's slices are the ones routed (dual-stack: the first family). */
    private readonly kind: 'Endpoints' | 'EndpointSlice',
  ) {
    this.nodeByName = new Map(nodes.map((n) => [n.name, n]));
    this.zones = [...new Set(nodes.map((n) => n.zone))];
    const td = scenario.endpointSliceController.trafficDistributions;
    // SIM: kube-proxy reading Endpoints (the endpoints model) has no hints and no topology labels.
    const slices = kind === 'EndpointSlice';
    this.gates = {
      zoneHints: slices && (scenario.endpointSliceController.topologyAwareHints || td.length > 0),
      nodeHints: slices && td.includes('PreferSameNode'),
      serviceTopology: slices && scenario.kubeProxy.serviceTopology,
    };
    scenario.services.forEach((spec, i) => {
      if (!spec.traffic || services[i].headless) return;
      const weights = nodeWeights(nodes, spec.traffic.from);
      const sum = weights.reduce((a, b) => a + b, 0);
      const rates = new Map(nodes.map((n, j) => [n.name, sum > 0 ? (spec.traffic!.requestsPerSecond * weights[j]) / sum : 0]));
      const t: Tracked = { service: services[i], svc: { internalTrafficPolicy: spec.internalTrafficPolicy, topologyKeys: spec.topologyKeys }, endpoints: new ServiceEndpoints(), rates, evaluatedAt: '' };
      this.tracked.push(t);
      this.byKey.set(`${services[i].namespace}/${services[i].name}`, t);
      this.byIndex.set(i, t);
    });
  }

  get active(): boolean {
    return this.tracked.length > 0;
  }

  /** A watch event for an EndpointSlice (the endpointslices model): the slice's endpoints replace what it held. */
  sliceEvent(now: number, object: StoredObject, deleted: boolean): void {
    if (object.kind !== 'EndpointSlice') return;
    const t = this.byKey.get(`${object.namespace}/${object.labels[LABEL_SERVICE_NAME]}`);
    if (!t) return;
    const slice = object.object as EndpointSlice;
    if (slice.addressType !== primaryAddressType(t.service)) return;
    this.changed(now);
    t.endpoints.set(object.name, deleted ? [] : slice.endpoints.map((e) => ({
      nodeName: e.nodeName,
      zone: e.zone,
      // kube-proxy's EndpointSliceCache: an unset ready or serving counts as true, an unset terminating as false.
      ready: e.conditions.ready ?? true,
      serving: e.conditions.serving ?? true,
      terminating: e.conditions.terminating ?? false,
      forZones: e.hints?.forZones,
      forNodes: e.hints?.forNodes,
    })));
  }

  /**
   * A pod change (the endpoints model): the address Endpoints would hold for it. SIM: read from the pod
   * at once rather than from the written Endpoints (whose stored form the simulator does not keep).
   */
  podEvent(now: number, pod: Pod, deleted: boolean): void {
    if (this.kind !== 'Endpoints') return;
    const t = this.byIndex.get(pod.service);
    if (!t) return;
    this.changed(now);
    const present = !deleted && pod.podIPs.length > 0 && pod.phase !== 'Succeeded' && pod.phase !== 'Failed' && (pod.deletionTimestamp === null || t.service.publishNotReadyAddresses);
    const ready = t.service.publishNotReadyAddresses || pod.ready;
    const e: ProxyEndpoint = { nodeName: pod.nodeName, zone: this.nodeByName.get(pod.nodeName)?.zone, ready, serving: ready, terminating: false };
    t.endpoints.set(pod.key, present ? [e] : []);
  }

  /** Nodes changed (a node failure): clients on failed nodes stop sending. */
  nodesChanged(now: number): void {
    this.changed(now);
    this.nodesVersion++;
  }

  hintWrite(): void {
    this.report.byPhase[this.phase].hintWrites++;
    this.report.total.hintWrites++;
  }

  /**
   * Integrates the routing in force since the last change up to `now` into the current phase, then
   * marks it stale: every change calls this first, so the routing is piecewise constant between
   * changes and integrated exactly; it is re-evaluated once per instant at which something changed.
   */
  private changed(now: number): void {
    this.advance(now);
    this.dirty = true;
  }

  private advance(now: number): void {
    if (now <= this.last) return;
    // A sampled routing that nothing replaced at the same instant lasted: its busiest endpoint counts.
    if (this.sampledMax !== undefined && !this.dirty) this.noteMax(this.sampledMax);
    this.sampledMax = undefined;
    if (this.dirty) this.evaluate();
    const seconds = (now - this.last) / 1e6;
    this.last = now;
    for (const t of this.tracked) {
      const s = t.state;
      if (!s) continue;
      for (const totals of [this.report.byPhase[this.phase], this.report.total]) {
        totals.sent += s.sent * seconds;
        totals.dropped += s.dropped * seconds;
        totals.crossZone += s.crossZone * seconds;
      }
    }
  }

  /** A new phase starts now. */
  startPhase(now: number): void {
    this.advance(now);
    this.closePhase();
    this.report.byPhase.push(zero());
    this.phase++;
  }

  /** The run ends now (after its last sample). */
  finish(now: number): void {
    this.advance(now);
    this.closePhase();
  }

  /**
   * The phase's busiest endpoint when no sample of it was known to last (a last sample, a phase
   * shorter than a sample interval): the routing in force at its end.
   */
  private closePhase(): void {
    const totals = this.report.byPhase[this.phase];
    if (this.sampledMax !== undefined && !this.dirty) this.noteMax(this.sampledMax);
    this.sampledMax = undefined;
    if (totals.sent <= 0 || totals.maxLoadRatio > 0) return;
    if (this.dirty) this.evaluate();
    for (const t of this.tracked) if (t.state && t.state.sent > 0) this.noteMax(t.state.maxLoadRatio);
  }

  private noteMax(ratio: number): void {
    for (const totals of [this.report.byPhase[this.phase], this.report.total]) totals.maxLoadRatio = Math.max(totals.maxLoadRatio, ratio);
  }

  /** Integrates up to `now` and records the per-zone rows of the routing in force now. */
  sample(now: number, phase: string): void {
    this.advance(now);
    if (this.dirty) this.evaluate();
    const rows = new Map<string, ZoneSample>();
    const clients = this.tracked.length ? this.clients(this.tracked[0]) : undefined;
    for (const z of this.zones) {
      rows.set(z, { time: now, phase, zone: z, nodes: clients?.zoneNodes(z) ?? 0, requestsPerSecond: 0, crossZone: 0, dropped: 0, readyEndpoints: 0, hintedEndpoints: 0, maxLoadRatio: 0 });
    }
    for (const t of this.tracked) {
      // The busiest endpoint as sampled (what topology.csv shows): kube-proxy programs a node at most
      // once per minSyncPeriod, so states briefer than a sample mostly never reach the rules. It
      // counts once the sampled routing has lasted (see advance).
      if (t.state && t.state.sent > 0) this.sampledMax = Math.max(this.sampledMax ?? 0, t.state.maxLoadRatio);
      for (const [z, zt] of t.state?.zones ?? []) {
        const r = rows.get(z)!;
        r.requestsPerSecond += zt.sent;
        r.crossZone += zt.crossZone;
        r.dropped += zt.dropped;
        r.readyEndpoints += zt.readyEndpoints;
        r.hintedEndpoints += zt.hintedEndpoints;
        r.maxLoadRatio = Math.max(r.maxLoadRatio, zt.maxLoadRatio);
      }
    }
    this.report.samples.push(...rows.values());
  }

  /** Routing re-evaluated for every tracked service (each reuses its last result when nothing of it changed). */
  private evaluate(): void {
    this.dirty = false;
    for (const t of this.tracked) {
      const stamp = `${t.endpoints.version}/${this.nodesVersion}`;
      if (t.state && t.evaluatedAt === stamp) continue;
      t.state = evaluateTraffic(t.endpoints, t.svc, this.gates, this.clients(t));
      t.evaluatedAt = stamp;
    }
  }

  private clients(t: Tracked): Clients {
    if (t.clients && t.clientsVersion === this.nodesVersion) return t.clients;
    t.clientsVersion = this.nodesVersion;
    return (t.clients = this.buildClients(t));
  }

  /** O(nodes): once per service and node change. */
  private buildClients(t: Tracked): Clients {
    const rate = (n: Node) => (n.ready === false ? 0 : (t.rates.get(n.name) ?? 0));
    const zoneRate = new Map<string, number>();
    const zoneNodes = new Map<string, number>();
    for (const n of this.nodes) {
      zoneRate.set(n.zone, (zoneRate.get(n.zone) ?? 0) + rate(n));
      if (n.ready !== false) zoneNodes.set(n.zone, (zoneNodes.get(n.zone) ?? 0) + 1);
    }
    return {
      zones: this.zones,
      zoneRate: (z) => zoneRate.get(z) ?? 0,
      zoneNodes: (z) => zoneNodes.get(z) ?? 0,
      node: (name) => {
        const n = this.nodeByName.get(name);
        return n && { rate: rate(n), zone: n.zone };
      },
    };
  }
}

/** The address type whose endpoints carry the service's traffic: the primary family, or FQDN. */
function primaryAddressType(service: Service): string {
  return service.addressType === 'FQDN' ? 'FQDN' : service.ipFamilies[0];
}
