// kube-proxy on every node: it watches the model's endpoint objects (headless services excluded by
// its label selector, server-side), and programs rules through a BoundedFrequencyRunner: a sync runs
// at once when the runner's token bucket allows (burst 2, one token per minSyncPeriod), otherwise as
// soon as it does; changes arriving during a sync wait for the next one. A sync costs base +
// perEndpoint x (every endpoint of every service in iptables mode; the endpoints of the changed
// objects in nftables and ipvs modes).
//
// Nodes are not simulated one by one. The watchers of an API server instance are split into cohorts
// of consecutive positions in its write order; a cohort receives each event when its middle member
// does and stands for all its members (with unlimited bandwidth every node is alike: one cohort).
// SIM: periodic syncs (syncPeriod) carry no change and are not modelled.
import type { WatchEvent } from '../apiserver/watch.js';
import type { EgressLink } from '../apiserver/egress.js';
import type { EndpointKind, StoredObject } from '../apiserver/store.js';
import { LABEL_HEADLESS } from '../model/cluster.js';
import type { LatencyRecorder } from '../report/latency.js';

export type ProxyMode = 'iptables' | 'nftables' | 'ipvs';

export interface ProxyConfig {
  mode: ProxyMode;
  /** µs */
  minSyncPeriod: number;
  syncCost: { base: number; perEndpoint: number };
}

interface Change {
  /** When the change happened at the controller (the trigger time), µs; undefined if unknown. */
  trigger: number | undefined;
  phase: number;
  /** Endpoints in the changed object. */
  endpoints: number;
}

const BURST_SYNCS = 2;

/** One cohort's kube-proxy: the BoundedFrequencyRunner and the syncs it runs. */
class ProxySync {
  private tokens = BURST_SYNCS;
  private refilledAt = 0;
  private busyUntil = -Infinity;
  private nextRun: number | null = null;
  private pending: Change[] = [];
  /** When the latest event reached this cohort. */
  private lastArrival = -Infinity;
  /** Endpoints of all services as of the latest event (what an iptables sync rewrites). */
  private totalEndpoints = 0;
  syncs = 0;

  constructor(
    private readonly config: ProxyConfig,
    private readonly members: number,
    private readonly latency: LatencyRecorder,
  ) {}

  private refill(t: number): void {
    if (this.config.minSyncPeriod <= 0) return;
    this.tokens = Math.min(BURST_SYNCS, this.tokens + (t - this.refilledAt) / this.config.minSyncPeriod);
    this.refilledAt = t;
  }

  private tokenAt(t: number): number {
    if (this.config.minSyncPeriod <= 0) return t;
    this.refill(t);
    return this.tokens >= 1 ? t : t + (1 - this.tokens) * this.config.minSyncPeriod;
  }

  /** Runs every sync due before `t`. */
  private advance(t: number): void {
    while (this.nextRun !== null && this.nextRun < t) this.run(this.nextRun);
  }

  private run(at: number): void {
    this.refill(at);
    if (this.config.minSyncPeriod > 0) this.tokens -= 1;
    const batch = this.pending;
    this.pending = [];
    this.nextRun = null;
    const { base, perEndpoint } = this.config.syncCost;
    let rules = this.totalEndpoints;
    if (this.config.mode !== 'iptables') rules = batch.reduce((n, c) => n + c.endpoints, 0);
    const end = at + base + perEndpoint * rules;
    this.busyUntil = end;
    this.syncs++;
    for (const c of batch) if (c.trigger !== undefined) this.latency.add(c.phase, (end - c.trigger) / 1000, this.members);
  }

  /** An event reaches this cohort at `t` (never earlier than the previous one). */
  receive(t: number, change: Change, totalEndpoints: number): void {
    this.advance(t);
    this.lastArrival = t;
    this.totalEndpoints = totalEndpoints;
    this.pending.push(change);
    if (this.nextRun === null) this.nextRun = Math.max(t, this.busyUntil, this.tokenAt(Math.max(t, this.busyUntil)));
  }

  /** Whether the rules reflect every event sent so far, at `t` (not before the latest dispatch). */
  upToDate(t: number): boolean {
    if (this.lastArrival > t) return false;
    this.advance(t); // safe: everything pending has arrived by t
    return this.pending.length === 0 && this.busyUntil <= t;
  }

  /** Runs what is still due at the end of the run. */
  finish(): void {
    this.advance(Infinity);
  }
}

interface Cohort {
  members: number;
  /** Position of its middle member in the instance's write order (1-based, fractional). */
  middle: number;
  sync: ProxySync;
}

export class KubeProxyFleet {
  private readonly instances: { link: EgressLink; watchers: number; cohorts: Cohort[] }[];
  /** Endpoints in the stored objects kube-proxy watches, by object key. */
  private readonly endpointsOf = new Map<string, number>();
  private totalEndpoints = 0;
  eventsReceived = 0;

  constructor(
    readonly members: number,
    private readonly kind: EndpointKind,
    links: readonly EgressLink[],
    config: ProxyConfig,
    latency: LatencyRecorder,
    /** Told when the links will have sent everything queued: the run lasts until then. */
    private readonly onDrainAt: (time: number) => void,
    cohortsPerInstance = 64,
  ) {
    // Watchers spread evenly over the instances.
    this.instances = links.map((link, i) => {
      const watchers = Math.floor(members / links.length) + (i < members % links.length ? 1 : 0);
      const count = link.bandwidth === 0 ? Math.min(1, watchers) : Math.min(cohortsPerInstance, watchers);
      const cohorts: Cohort[] = [];
      let offset = 0;
      for (let c = 0; c < count; c++) {
        const size = Math.floor(watchers / count) + (c < watchers % count ? 1 : 0);
        cohorts.push({ members: size, middle: offset + (size + 1) / 2, sync: new ProxySync(config, size, latency) });
        offset += size;
      }
      return { link, watchers, cohorts };
    });
  }

  matches(object: StoredObject): boolean {
    return object.kind === this.kind && !(LABEL_HEADLESS in object.labels);
  }

  /** Writes the event to every watcher's stream and hands it to the cohorts when they receive it. */
  deliver(event: WatchEvent, now: number, phase: number): void {
    this.eventsReceived++;
    const key = `${event.object.namespace}/${event.object.name}`;
    const endpoints = event.type === 'DELETED' ? 0 : event.object.sizes.endpoints;
    this.totalEndpoints += endpoints - (this.endpointsOf.get(key) ?? 0);
    if (event.type === 'DELETED') this.endpointsOf.delete(key);
    else this.endpointsOf.set(key, endpoints);
    const change: Change = { trigger: event.triggerTime, phase, endpoints: event.object.sizes.endpoints };
    for (const { link, watchers, cohorts } of this.instances) {
      if (watchers === 0) continue;
      const { start, perCopy } = link.send(now as never, event.bytes, watchers);
      for (const c of cohorts) c.sync.receive(start + perCopy * c.middle, change, this.totalEndpoints);
      if (link.drainedAt > now) this.onDrainAt(link.drainedAt);
    }
  }

  /** Nodes whose rules reflect every event sent so far. */
  nodesUpToDate(t: number): number {
    let n = 0;
    for (const i of this.instances) for (const c of i.cohorts) if (c.sync.upToDate(t)) n += c.members;
    return n;
  }

  finish(): void {
    for (const i of this.instances) for (const c of i.cohorts) c.sync.finish();
  }
}
