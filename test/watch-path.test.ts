// The watch path from a stored write to a node's rules, as current Kubernetes runs it: the watch
// cache's history and watcher buffers, the dispatch budget, closing slow watchers, re-watch with replay
// or 410 and re-list, kube-proxy's runners, latency samples and the clusterloader2 statistic, APF seats,
// and nodes counted up to date only when they hold what the controllers want.
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { readFileSync } from 'node:fs';
import { WatchCache, EVENT_FRESH_DURATION, UPPER_BOUND_CAPACITY } from '../src/apiserver/watch-cache.js';
import { TimeBudget, MAX_BUDGET } from '../src/apiserver/time-budget.js';
import { mutatingWorkEstimate, PriorityLevel } from '../src/apiserver/apf.js';
import { histogramQuantile, networkProgrammingLatencyCl2, NETWORK_PROGRAMMING_BUCKETS_S } from '../src/report/cl2-statistic.js';
import { resolveScenario } from '../src/scenario/load.js';
import { simulateModel } from '../src/simulation.js';
import { summaryRows } from '../src/report/summary.js';
import type { StoredObject } from '../src/apiserver/store.js';
import { event, fleet } from './watch-fleet.js';

const object = { kind: 'EndpointSlice', namespace: 'ns', name: 'a', labels: {} } as unknown as StoredObject;
const add = (cache: WatchCache, t: number, name = 'a') => cache.add(object, t, `ns/${name}`, 'ns/svc', 10, 1000, 1020, false, t, 0);

describe('watch cache (watch_cache_history.go)', () => {
  it('suggestedWatchChannelSize: capacity / 75 s, at least 10, at most 100 without an index', () => {
    const cache = new WatchCache();
    expect(cache.suggestedWatchChannelSize()).toBe(10); // 100 / 75 s rounds up to 2: the minimum 10
    // A busy resource: every event fresh, so the ring doubles up to its upper bound.
    for (let i = 0; i < 2 * UPPER_BOUND_CAPACITY; i++) add(cache, i);
    expect(cache.historyCapacity).toBe(UPPER_BOUND_CAPACITY);
    expect(cache.suggestedWatchChannelSize()).toBe(100); // 102400 / 75 = 1366, clamped to 100
  });

  it('resizeCacheLocked: grows while every event is younger than the window, then drops the oldest', () => {
    const cache = new WatchCache();
    for (let i = 0; i < 150; i++) add(cache, i * 100_000); // 10 events a second for 15 s
    expect(cache.historyCapacity).toBe(200);
    expect(cache.since(-1)).toHaveLength(150); // nothing evicted yet: a watcher from the start is replayed
    // One event a second from then on: once the ring is full and its oldest event is older than 75 s,
    // the oldest is dropped instead of growing.
    let t = 15_000_000;
    for (let i = 0; i < 400; i++) add(cache, (t += 1_000_000));
    expect(cache.historyCapacity).toBeLessThanOrEqual(400);
    expect(cache.since(-1)).toBeUndefined(); // 410 Gone: too old a resourceVersion
    const last = cache.lastSeq;
    expect(cache.since(last - 10)).toHaveLength(10);
    expect(t - (cache.since(last - 70) ?? [])[0].time).toBeLessThan(EVENT_FRESH_DURATION); // the last 75 s are kept
  });

  it('a re-list brings the latest version of each object changed since, deletions included', () => {
    const cache = new WatchCache();
    add(cache, 0, 'a');
    add(cache, 1, 'b');
    const seen = cache.lastSeq;
    add(cache, 2, 'a');
    add(cache, 3, 'a');
    cache.add(object, 4, 'ns/b', 'ns/svc', 0, 1000, 1020, true, undefined, 0);
    const { bytes, changes } = cache.list(seen, () => true);
    expect(bytes).toBe(1000); // only a is left
    expect(changes.map((c) => [c.key, c.trigger, c.deleted])).toEqual([['ns/a', 3, false], ['ns/b', undefined, true]]);
  });
});

describe('dispatchTimeoutBudget (time_budget.go)', () => {
  it('refills 50 ms per second up to 100 ms; a dispatch takes it all and returns what it did not use', () => {
    const b = new TimeBudget();
    expect(b.takeAvailable(1_000_000)).toBe(50_000);
    expect(b.takeAvailable(1_000_000)).toBe(0);
    b.returnUnused(30_000);
    expect(b.takeAvailable(11_000_000)).toBe(MAX_BUDGET);
  });
});

describe('APF mutating work estimator (mutating_work_estimator.go)', () => {
  it('a write watched by W nodes holds ceil(W/10) seats, at most 10, for ceil(W/10) x 5 ms over them', () => {
    expect(mutatingWorkEstimate(9, 98)).toEqual({ finalSeats: 0, additionalLatency: 0 });
    expect(mutatingWorkEstimate(50, 98)).toEqual({ finalSeats: 5, additionalLatency: 5_000 });
    expect(mutatingWorkEstimate(5000, 98)).toEqual({ finalSeats: 10, additionalLatency: 250_000 });
    expect(mutatingWorkEstimate(3000, 98)).toEqual({ finalSeats: 10, additionalLatency: 150_000 });
  });

  it('writes wait for seats still held by earlier writes of the same priority level', () => {
    const level = new PriorityLevel(25);
    const w = mutatingWorkEstimate(5000, 25); // 10 seats for 250 ms
    expect(level.admissionDelay(0, 10)).toBe(0);
    level.hold(0, w);
    level.hold(0, w);
    expect(level.admissionDelay(100_000, 10)).toBe(150_000); // 5 seats free: wait for the first release
    expect(level.admissionDelay(250_000, 10)).toBe(0);
    expect(new PriorityLevel(0).admissionDelay(0, 10)).toBe(0); // APF off
  });
});

describe('kube-proxy runner (pkg/proxy/runner/bounded_frequency_runner.go)', () => {
  it('two changes 100 ms apart after a quiet minute: the second waits for the end of the first sync plus minSyncPeriod', () => {
    const { f, latency } = fleet(1_000_000, 'iptables', 0, 1, 0, 'bounded');
    f.deliver(event(60_000_000), 60_000_000, 0); // a sync at once: 10 ms + 10 endpoints x 1 ms, until 60.02 s
    f.deliver(event(60_100_000), 60_100_000, 1); // waits until 60.02 s + 1 s, then 20 ms
    f.finish(Infinity);
    expect(latency.summary(0).max).toBeCloseTo(20, 6);
    expect(latency.summary(1).max).toBeCloseTo(61_040 - 60_100, 6);
    // The older token-bucket runner (burst 2) ran the second at once.
    const old = fleet(1_000_000, 'iptables', 0, 1, 0, 'tokenBucket');
    old.f.deliver(event(60_000_000), 60_000_000, 0);
    old.f.deliver(event(60_100_000), 60_100_000, 1);
    old.f.finish(Infinity);
    expect(old.latency.summary(1).max).toBeCloseTo(20, 6);
  });

  it('records one sample per node for each annotated update, when the sync applying it ends; none for deletions or unannotated writes', () => {
    const { f, latency } = fleet(0, 'iptables', 0, 7, 0, 'bounded');
    f.deliver(event(undefined), 0, 0); // no trigger-time annotation
    f.deliver(event(5_000_000, 1000, 10, 'b', 'DELETED'), 5_000_000, 1); // a deletion carries the old annotation: ignored
    f.deliver(event(9_000_000), 10_000_000, 2);
    f.finish(Infinity);
    expect(latency.summary(0).count).toBe(0);
    expect(latency.summary(1).count).toBe(0);
    expect(latency.summary(2).count).toBe(7);
    expect(latency.summary(2).max).toBeCloseTo(1000 + 20, 6); // from the trigger (1 s before the write) to the sync's end
  });
});

describe('clusterloader2 NetworkProgrammingLatency (slos/network_programming.go)', () => {
  it('histogram_quantile interpolates inside kube-proxy buckets', () => {
    const counts = new Float64Array(NETWORK_PROGRAMMING_BUCKETS_S.length);
    counts[2] = 100; // all in (0.5 s, 1 s]
    expect(histogramQuantile(0.5, counts, 0)).toBeCloseTo(0.75, 9);
    expect(histogramQuantile(0.99, counts, 0)).toBeCloseTo(0.995, 9);
    expect(histogramQuantile(0.5, counts, 1000)).toBe(300); // in +Inf: the last finite bound
  });

  it('is the 99th percentile over time of the 5-minute quantiles: one bad minute sets it', () => {
    // 10 minutes of 1.5 s samples, every second, except one minute at 20.5 s.
    const n = 600;
    const times = new Float64Array(n);
    const values = new Float64Array(n);
    const weights = new Float64Array(n).fill(1);
    for (let i = 0; i < n; i++) {
      times[i] = i * 1_000_000;
      values[i] = i >= 300 && i < 360 ? 20_500 : 1_500;
    }
    const s = networkProgrammingLatencyCl2(times, values, weights, 0, n * 1_000_000);
    // While the bad minute is in the window, 240 of 300 samples sit in the 1..2 s bucket: its median is
    // interpolated at 1 + 150/240 s; the 99th percentile over time keeps that, not the calm 1.5 s.
    expect(s.p50).toBeCloseTo(1_625, 6);
    expect(s.p99).toBeGreaterThan(20_000); // while the bad minute is in the window its p99 is in (20 s, 21 s]
  });
});

const yaml = `name: t
cluster: {nodes: 30}
encoding: protobuf
endpointsController: {maxEndpoints: 0}
services: [{name: web, replicas: 200, pod: {startupDelay: 1s, readinessDelay: {dist: uniform, min: 1s, max: 3s}}}]
workload:
  - {name: churn, at: 10s, action: churn, service: web, rate: 2, duration: 5m}
`;

function run(text: string, sets: string[] = []) {
  const s = resolveScenario(parseYaml(text), 't.yaml', sets);
  const runs = s.models.map((m) => simulateModel(s, m));
  const rows = summaryRows(s, runs);
  const cell = (model: string, phase: string) => rows.find((r) => r.model === model && r.phase === phase)!;
  return { runs, rows, cell };
}

describe('a node that stops reading its watch', () => {
  const calm = run(yaml);
  const stall = (length: string) => run(`${yaml}  - {name: stall, at: 1m, action: watcherStall, nodes: 10, duration: ${length}}\n`);

  it('stalled 40 s during churn: its watch is closed, it re-watches from its last resourceVersion and the watch cache replays; nothing is re-listed and every event arrives once', () => {
    const stalled = stall('40s');
    for (const m of ['endpoints', 'endpointslices']) {
      const all = stalled.cell(m, 'all');
      expect(Number(all.relist_bytes)).toBe(0);
      expect(Number(all.replay_bytes)).toBeGreaterThan(0);
      expect(all.watch_events).toBe(calm.cell(m, 'all').watch_events);
      expect(all.watch_bytes).toBe(calm.cell(m, 'all').watch_bytes);
    }
    for (const r of stalled.runs) {
      expect(r.egress.terminatedWatchers).toBeGreaterThanOrEqual(10);
      expect(r.egress.relists).toBe(0);
      expect(r.egress.replays).toBe(r.egress.terminatedWatchers);
      expect(r.egress.sentBytes).toBe(r.egress.deliveredBytes + r.egress.inFlightBytes);
    }
  });

  it('stalled longer than the watch cache keeps history: 410 Gone, and a re-list', () => {
    const stalled = stall('3m');
    for (const m of ['endpoints', 'endpointslices']) expect(Number(stalled.cell(m, 'all').relist_bytes)).toBeGreaterThan(0);
    for (const r of stalled.runs) {
      expect(r.egress.relists).toBeGreaterThan(0);
      expect(r.egress.sentBytes).toBe(r.metrics.total.watchBytes + r.metrics.total.relistBytes + r.egress.inFlightBytes);
    }
  });

  it('cumulative counters never decrease, whatever is dropped from closed watchers', () => {
    const stalled = stall('3m');
    for (const r of stalled.runs) {
      expect(r.egress.droppedBytes).toBeGreaterThan(0);
      for (let i = 1; i < r.samples.length; i++) {
        const [a, b] = [r.samples[i - 1].counters, r.samples[i].counters];
        expect(b.watchEvents).toBeGreaterThanOrEqual(a.watchEvents);
        expect(b.watchBytes).toBeGreaterThanOrEqual(a.watchBytes);
        expect(b.relistBytes).toBeGreaterThanOrEqual(a.relistBytes);
      }
    }
  });

  it('with a run stopped early, what is still queued is in flight in the books, not in watch_bytes', () => {
    const r = run(`${yaml}until: 40s\n`, ['apiserver.egressBandwidth=20Mbps']);
    const m = r.runs.find((x) => x.model === 'endpointslices')!;
    expect(m.egress.inFlightBytes).toBeGreaterThan(0);
    expect(m.egress.sentBytes).toBe(m.metrics.total.watchBytes + m.metrics.total.relistBytes + m.egress.inFlightBytes);
  });
});

describe('nodes up to date', () => {
  it('etcd-limit: writes etcd refuses leave every Endpoints node out of date; EndpointSlice nodes catch up', () => {
    const text = readFileSync(new URL('../scenarios/etcd-limit.yaml', import.meta.url), 'utf8');
    const r = run(text, ['cluster.nodes=140']);
    const last = (model: string) => r.runs.find((x) => x.model === model)!.samples.at(-1)!;
    expect(r.cell('endpoints', 'all').rejected_writes).toBeGreaterThan(0);
    expect(last('endpoints').nodesUpToDate).toBe(0);
    expect(last('endpointslices').nodesUpToDate).toBe(140);
  });
});

describe('API Priority and Fairness at the controller', () => {
  const text = `name: t
cluster: {nodes: 5000}
models: [endpointslices]
services: [{name: web, replicas: 5000}]
`;
  it('a burst of slice writes that 5000 kube-proxies watch waits for seats; without APF it does not', () => {
    const withApf = run(text);
    const without = run(text, ['apiserver.apfSeats=0']);
    const [a, b] = [withApf.runs[0], without.runs[0]];
    // 50 creates, 30 of them at once (the client's burst); each holds 10 of the 98 seats for 250 ms.
    expect(a.egress.apfWaitMicros).toBeGreaterThan(0);
    expect(b.egress.apfWaitMicros).toBe(0);
    expect(a.metrics.total.writes).toBe(b.metrics.total.writes);
    expect(Number(withApf.cell('endpointslices', 'initial').programming_latency_max_ms)).toBeGreaterThan(Number(without.cell('endpointslices', 'initial').programming_latency_max_ms));
  });
});

describe('a scale-down', () => {
  const text = `name: t
cluster: {nodes: 50}
services: [{name: web, replicas: 100}]
workload: [{name: down, at: 1m, action: scale, service: web, replicas: 50}]
`;
  it('records no latency sample for the Endpoints model: terminating pods leave with no readiness change, so no write carries a trigger time', () => {
    const r = run(text);
    expect(Number(r.cell('endpoints', 'down').writes)).toBeGreaterThan(0);
    expect(r.runs.find((m) => m.model === 'endpoints')!.latency.summary(1).count).toBe(0);
    expect(r.cell('endpoints', 'down').programming_latency_p50_ms).toBe('');
  });
});

// Upstream, a scale-down's pods go through: deletionTimestamp set (no change to the Ready condition),
// Ready turning False when the containers stop (a new lastTransitionTime), then removal. The controllers
// annotate a write with last-change-trigger-time only when some pod's Ready lastTransitionTime is newer
// than the last sync saw (kubernetes/endpointslice util/trigger_time_tracker.go), and kube-proxy records
// network programming latency only for annotated updates that are not deletions (kubernetes/kubernetes
// pkg/proxy/endpointschangetracker.go EndpointSliceUpdate, observed in the proxier's syncProxyRules).
// Whether a scale-down records samples therefore depends on whether the Ready change still writes.
describe('trigger_time_tracker.go + endpointschangetracker.go: a sample only for an update annotated with a Ready transition', () => {
  const text = `name: t
cluster: {nodes: 50}
services: [{name: web, replicas: 100, pod: {shutdownDelay: 5s, terminationGracePeriod: 30s}}]
workload: [{name: down, at: 1m, action: scale, service: web, replicas: 50}]
`;
  const nodes = 50;
  it.each([
    // ShouldPodBeInEndpoints(pod, includeTerminating=false): the pod leaves at its deletion, a write
    // with no Ready transition (no annotation); its Ready change later finds nothing to write.
    ['endpoints', [], 0],
    // Before EndpointSliceTerminatingCondition (1.22) slices drop terminating pods at deletion too.
    ['endpointslices', ['kubernetes=1.21'], 0],
    // With it, the terminating endpoint stays (ready false, serving true: unannotated); the Ready change
    // to False flips serving in an annotated update (one sync: one slice, one sample per node); the
    // removal after the grace period is again unannotated.
    ['endpointslices', [], 1],
  ] as const)('a scale-down, %s %j: %i annotated update(s) per node', (model, sets, annotatedUpdates) => {
    const r = run(text, [...sets]);
    const m = r.runs.find((x) => x.model === model)!;
    const down = 1; // phase index: initial, down
    expect(Number(r.cell(model, 'down').writes)).toBeGreaterThan(annotatedUpdates);
    expect(m.latency.summary(down).count).toBe(nodes * annotatedUpdates);
    // Measured from the Ready change (5 s after the deletion), not from the deletion itself.
    if (annotatedUpdates) expect(Number(r.cell(model, 'down').programming_latency_max_ms)).toBeLessThan(5000);
  });
});
