// kube-proxy's rules syncs on one node (or a cohort of nodes that receive the same events at the
// same time): a BoundedFrequencyRunner runs a sync at once when its token bucket allows (burst 2,
// one token per minSyncPeriod), otherwise as soon as it does; changes arriving during a sync wait
// for the next one. A sync costs base + perEndpoint x (every endpoint of every service in iptables
// mode; the endpoints of the changed objects in nftables and ipvs modes). If no sync ran for
// syncPeriod, the runner's timer runs one anyway (a full sync, changes or not).
import type { LatencyRecorder } from '../report/latency.js';

export type ProxyMode = 'iptables' | 'nftables' | 'ipvs';

export interface ProxyConfig {
  mode: ProxyMode;
  /** µs */
  minSyncPeriod: number;
  /** µs; 0 = no periodic sync */
  syncPeriod: number;
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
  /** When the last sync that carried changes ended (a periodic sync with none leaves rules as they were). */
  private appliedAt = -Infinity;
  private nextRun: number | null = null;
  /** When the runner's max-interval timer fires: syncPeriod after the last sync ended. */
  private periodicAt: number;
  private pending: Change[] = [];
  /** When the latest event reached this cohort. */
  private lastArrival = -Infinity;
  /** Endpoints of all services as of the latest event (what an iptables sync rewrites). */
  private totalEndpoints = 0;

  constructor(
    private readonly config: ProxyConfig,
    /** Nodes this sync stands for: the weight of its latency samples. */
    public members: number,
    private readonly latency: LatencyRecorder,
  ) {
    this.periodicAt = config.syncPeriod > 0 ? config.syncPeriod : Infinity;
  }

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

  /** Runs every sync due before `t`, periodic ones included. */
  private advance(t: number): void {
    for (;;) {
      const next = this.nextRun ?? Infinity;
      if (this.periodicAt < next && this.periodicAt < t) {
        // The timer fires: sync now if a token allows, else as soon as one does.
        const at = this.tokenAt(this.periodicAt);
        this.periodicAt = Infinity;
        if (at < next) this.nextRun = at;
        continue;
      }
      if (next >= t) return;
      this.run(next);
    }
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
    if (batch.length > 0) this.appliedAt = end;
    if (this.config.syncPeriod > 0) this.periodicAt = end + this.config.syncPeriod;
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
    return this.pending.length === 0 && this.appliedAt <= t;
  }

  /** Runs the syncs due by the end of the run, and those that still carry changes. */
  finish(end: number): void {
    this.advance(end);
    while (this.nextRun !== null) this.run(this.nextRun);
  }
}
