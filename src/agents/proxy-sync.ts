// kube-proxy's rules syncs on one node, or a cohort of nodes that receive the same events at the same
// time. Changes wait for the next sync the runner allows:
// - `bounded` (kubernetes/kubernetes pkg/proxy/runner/bounded_frequency_runner.go): a change runs a sync
//   at once unless one ran less than minSyncPeriod before; minSyncPeriod counts from the *end* of the
//   previous sync; no burst; the max-interval timer (an hour) runs one anyway.
// - `tokenBucket` (pkg/util/async/bounded_frequency_runner.go, older releases): a token bucket of burst
//   2 refilled every minSyncPeriod.
// A sync's duration comes from sync-cost.ts. Network programming latency is recorded as kube-proxy's
// endpointsChangeTracker does: one sample per update carrying the trigger-time annotation, when the sync
// that applies it ends; none for deletions or unannotated writes.
import type { LatencyRecorder } from '../report/latency.js';
import type { ObjectChange, WatchSink, WatchState } from '../apiserver/watcher.js';
import { FULL_SYNC_PERIOD, MAX_INTERVAL, type ProxyConfig } from './proxy-config.js';
import { largeClusterMode, syncCost } from './sync-cost.js';

const BURST_SYNCS = 2;

/** One cohort's kube-proxy: the runner and the syncs it runs. */
export class ProxySync implements WatchSink {
  private tokens = BURST_SYNCS;
  private refilledAt = 0;
  /** When the running sync ends (the last one that started). */
  private busyUntil = -Infinity;
  /** When the last sync that carried changes ended (a periodic sync with none leaves rules as they were). */
  private appliedAt = -Infinity;
  private lastFullSync = 0;
  /**
   * When a sync last read the table back to delete stale chains (iptables mode). SIM: time 0 stands for
   * a proxier that has run a while, as lastFullSync does: its last cleanup was then.
   */
  private lastCleanup = 0;
  private nextRun: number | null = null;
  /** When the runner's max-interval timer fires: maxInterval after the last sync ended. */
  private periodicAt: number;
  private pending: ObjectChange[] = [];
  /** When the latest delivery reached this cohort. */
  private lastArrival = -Infinity;
  private state: WatchState = { endpoints: 0, services: 0 };
  /** Syncs run, and of them full ones (for the books). */
  syncs = 0;
  fullSyncs = 0;

  constructor(
    private readonly config: ProxyConfig,
    /** Nodes this sync stands for: the weight of its latency samples. */
    public members: number,
    private readonly latency: LatencyRecorder,
    /** Every sync of the fleet, so that parts split off are counted too. */
    private readonly registry?: ProxySync[],
  ) {
    this.periodicAt = this.maxInterval;
  }

  private get maxInterval(): number {
    return this.config.mode === 'ipvs' && this.config.syncPeriod > 0 ? this.config.syncPeriod : MAX_INTERVAL;
  }

  split(members: number): ProxySync {
    const copy = Object.assign(Object.create(ProxySync.prototype) as ProxySync, this);
    copy.members = members;
    copy.pending = [...this.pending];
    // The part split off starts its own books; the whole keeps what was counted so far (for `members` nodes).
    copy.syncs = 0;
    copy.fullSyncs = 0;
    this.registry?.push(copy);
    return copy;
  }

  private refill(t: number): void {
    if (this.config.minSyncPeriod <= 0) return;
    this.tokens = Math.min(BURST_SYNCS, this.tokens + (t - this.refilledAt) / this.config.minSyncPeriod);
    this.refilledAt = t;
  }

  /** The earliest time from `t` on at which the runner lets a sync start. */
  private allowedAt(t: number): number {
    const free = Math.max(t, this.busyUntil);
    if (this.config.runner === 'bounded') return Math.max(free, this.busyUntil + this.config.minSyncPeriod);
    if (this.config.minSyncPeriod <= 0) return free;
    this.refill(free);
    return this.tokens >= 1 ? free : free + (1 - this.tokens) * this.config.minSyncPeriod;
  }

  /** Runs every sync due before `t`, periodic ones included. */
  private advance(t: number): void {
    for (;;) {
      const next = this.nextRun ?? Infinity;
      if (this.periodicAt < next && this.periodicAt < t) {
        const at = this.allowedAt(this.periodicAt);
        this.periodicAt = Infinity;
        if (at < next) this.nextRun = at;
        continue;
      }
      if (next >= t) return;
      this.run(next);
    }
  }

  private run(at: number): void {
    if (this.config.runner === 'tokenBucket' && this.config.minSyncPeriod > 0) {
      this.refill(at);
      this.tokens -= 1;
    }
    const batch = this.pending;
    this.pending = [];
    this.nextRun = null;
    // Every iptables sync is full before MinimizeIPTablesRestore; otherwise one an hour, since 1.33.
    const full = (this.config.mode === 'iptables' && !this.config.minimizeIPTablesRestore) || (this.config.periodicFullSync && at - this.lastFullSync >= FULL_SYNC_PERIOD);
    const changed = new Map<string, number>();
    for (const c of batch) changed.set(c.service, c.serviceEndpoints);
    let changedServiceEndpoints = 0;
    for (const e of changed.values()) changedServiceEndpoints += e;
    const endpoints = this.state.endpoints + this.config.otherEndpoints;
    // Stale chains are looked for with iptables-save on every sync, or at most once per syncPeriod in the
    // proxier's large-cluster mode (kubernetes/kubernetes#110334, 1.25: largeClusterCleanup).
    const everySync = !(this.config.largeClusterCleanup && largeClusterMode(endpoints));
    const cleanup = this.config.mode === 'iptables' && (everySync || at - this.lastCleanup >= this.config.syncPeriod);
    if (cleanup) this.lastCleanup = at;
    const work = {
      services: this.state.services + this.config.otherServices,
      endpoints,
      changedServices: changed.size,
      changedServiceEndpoints,
      full,
      cleanup,
    };
    const fixed = this.config.fixedCost;
    const end = at + (fixed ? fixed.base + fixed.perEndpoint * (full ? work.endpoints : changedServiceEndpoints) : syncCost(this.config.mode, work, this.config.cpuShare));
    this.syncs++;
    if (full) {
      this.fullSyncs++;
      this.lastFullSync = at;
    }
    this.busyUntil = end;
    if (batch.length > 0) this.appliedAt = end;
    this.periodicAt = end + this.maxInterval;
    for (const c of batch) if (c.trigger !== undefined && !c.deleted) this.latency.add(c.phase, (end - c.trigger) / 1000, this.members, end);
  }

  receive(t: number, changes: readonly ObjectChange[], state: WatchState): void {
    this.advance(t);
    this.lastArrival = t;
    this.state = state;
    for (const c of changes) this.pending.push(c);
    if (this.nextRun === null && changes.length > 0) this.nextRun = this.allowedAt(t);
  }

  upToDate(t: number): boolean {
    if (this.lastArrival > t) return false;
    this.advance(t); // safe: everything pending has arrived by t
    return this.pending.length === 0 && this.appliedAt <= t;
  }

  settledAt(): number {
    return Math.max(0, this.appliedAt);
  }

  /** Runs the syncs due by the end of the run, and those that still carry changes. */
  finish(end: number): void {
    // With no end (everything delivered), periodic syncs after the last delivery change nothing.
    this.advance(Number.isFinite(end) ? end : this.lastArrival);
    while (this.nextRun !== null && this.pending.length > 0) this.run(this.nextRun);
  }
}
