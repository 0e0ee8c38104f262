// kube-proxy's rules syncs on one node (or a cohort of nodes that receive the same events at the
// same time): a BoundedFrequencyRunner runs a sync at once when its token bucket allows (burst 2,
// one token per minSyncPeriod), otherwise as soon as it does; changes arriving during a sync wait
// for the next one. A sync costs base + perEndpoint x (every endpoint of every service in iptables
// mode; the endpoints of the changed objects in nftables and ipvs modes).
// SIM: periodic syncs (syncPeriod) carry no change and are not modelled.
import type { LatencyRecorder } from '../report/latency.js';

export type ProxyMode = 'iptables' | 'nftables' | 'ipvs';

export interface ProxyConfig {
  mode: ProxyMode;
  /** µs */
  minSyncPeriod: number;
  syncCost: { base: number; perEndpoint: number };
}

export interface Change {
  /** When the change happened at the controller (the trigger time), µs; undefined if unknown. */
  trigger: number | undefined;
  phase: number;
  /** Endpoints in the changed object. */
  endpoints: number;
}

const BURST_SYNCS = 2;

/** One cohort's kube-proxy: the BoundedFrequencyRunner and the syncs it runs. */
export class ProxySync {
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
    /** Nodes this sync stands for: the weight of its latency samples. */
    public members: number,
    private readonly latency: LatencyRecorder,
  ) {}

  /** The same state for a part of the cohort (when a fault singles out some of its nodes). */
  clone(members: number): ProxySync {
    const copy = Object.assign(Object.create(ProxySync.prototype) as ProxySync, this);
    copy.members = members;
    copy.pending = [...this.pending];
    return copy;
  }

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

  /** Events (or a re-list standing for several) reach these nodes at `t` (never earlier than the previous ones). */
  receive(t: number, changes: readonly Change[], totalEndpoints: number): void {
    this.advance(t);
    this.lastArrival = t;
    this.totalEndpoints = totalEndpoints;
    for (const c of changes) this.pending.push(c);
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
