// Time and congestion: the egress link's arithmetic, kube-proxy's BoundedFrequencyRunner, weighted
// latency quantiles, and whole runs whose latency must grow as bandwidth shrinks with nothing lost
// from the books.
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { EgressLink } from '../src/apiserver/egress.js';
import { LatencyRecorder, weightedQuantiles } from '../src/report/latency.js';
import { resolveScenario } from '../src/scenario/load.js';
import { simulateModel } from '../src/simulation.js';
import { summaryRows } from '../src/report/summary.js';

import { event, fleet } from './watch-fleet.js';

describe('EgressLink', () => {
  it('sends copies one after another at the link rate, queued behind earlier events', () => {
    const link = new EgressLink(1000); // 1000 B/s
    expect(link.send(0 as never, 100, 3)).toEqual({ start: 0, perCopy: 100_000 }); // 0.1 s per copy
    expect(link.drainedAt).toBe(300_000);
    expect(link.send(100_000 as never, 100, 1).start).toBe(300_000); // waits for the first event
    expect(link.inFlight(200_000)).toBe(200); // 2 copies of 100 B left
    expect(link.delivered(200_000) + link.inFlight(200_000)).toBe(link.bytesSent);
    link.unsend(200_000, 100); // a cut-off watcher's copy is taken back
    expect(link.drainedAt).toBe(300_000);
    expect(link.bytesSent).toBe(300);
    expect(new EgressLink(0).send(5 as never, 100, 1000)).toEqual({ start: 5, perCopy: 0 });
  });
});

describe('kube-proxy sync (the older BoundedFrequencyRunner, burst 2)', () => {
  it('syncs at once twice, then waits for a token every minSyncPeriod; changes during a wait share a sync', () => {
    const { f, latency } = fleet(1_000_000);
    // Events at 0, 0.1, 0.2, 0.3 s; one object of 10 endpoints: a sync costs 10 ms + 10 x 1 ms = 20 ms.
    for (const t of [0, 100_000, 200_000, 300_000]) f.deliver(event(t), t, 0);
    f.finish(Infinity);
    // Syncs: at 0 and 0.1 s (the burst), then at 1.0 s (one token back after 1 s) for the last two:
    // latencies 20, 20, 820 and 720 ms.
    const s = latency.summary(0);
    expect(s.count).toBe(4);
    expect(latency.percentiles(0)[0]).toBe(20);
    expect(s.p50).toBe(20);
    expect(s.max).toBeCloseTo(820, 6);
    expect(latency.percentiles(0)[75]).toBeCloseTo(720, 6);
  });

  it('a periodic sync (ipvs: syncPeriod after the last one) keeps the runner busy: a change arriving during it waits', () => {
    for (const [syncPeriod, expected] of [[0, 20], [10_000_000, 25]] as const) {
      const { f, latency } = fleet(1_000_000, 'ipvs', 0, 1, syncPeriod);
      f.deliver(event(0), 0, 0); // sync 0 .. 20 ms; the timer then fires at 10.02 s: a sync of nothing changed until 10.03 s
      f.deliver(event(10_025_000), 10_025_000, 1);
      f.finish(60_000_000);
      expect(latency.summary(1).max).toBeCloseTo(expected, 6);
    }
  });

  it('nftables syncs cost the changed endpoints only, iptables every endpoint', () => {
    const big = (t: number, name: string, endpoints: number) => ({ ...event(t, 1000, endpoints), object: { ...event(t).object, name, sizes: { endpoints } } }) as WatchEvent;
    for (const [mode, expected] of [['iptables', 10 + 1001], ['nftables', 10 + 1]] as const) {
      const { f, latency } = fleet(0, mode);
      f.deliver(big(0, 'huge', 1000), 0, 0);
      f.deliver(big(10_000_000, 'small', 1), 10_000_000, 1);
      f.finish(Infinity);
      expect(latency.summary(1).max).toBe(expected);
    }
  });

  it('with a slow link, later watchers receive later: latency spread over the nodes', () => {
    const { f, latency } = fleet(0, 'iptables', 1_000_000, 100); // 1 MB/s, 100 nodes, 64 cohorts
    f.deliver(event(0, 100_000, 0), 0, 0); // 0.1 s per copy: the last node gets it after 10 s
    f.finish(Infinity);
    const s = latency.summary(0);
    expect(s.count).toBe(100);
    expect(s.max).toBeGreaterThan(9_000);
    expect(s.p50).toBeGreaterThan(4_000);
    expect(s.p50).toBeLessThan(6_000);
  });
});

describe('weighted quantiles', () => {
  it('weights count as repeated samples', () => {
    expect(weightedQuantiles([5, 1, 3], [1, 1, 98], [0, 0.5, 0.99, 1])).toEqual([1, 3, 3, 5]);
  });
});

describe('a rollout on a congested control plane', () => {
  const yaml = `name: t
cluster: {nodes: 300}
encoding: protobuf
endpointsController: {maxEndpoints: 0}
services: [{name: web, replicas: 500}]
workload: [{name: roll, at: 10s, action: rollingUpdate, service: web}]`;
  const run = (bandwidth: string) => {
    const s = resolveScenario(parseYaml(yaml), 't.yaml', [`apiserver.egressBandwidth=${bandwidth}`]);
    const runs = s.models.map((m) => simulateModel(s, m));
    return { runs, rows: summaryRows(s, runs) };
  };

  it('latency grows as bandwidth shrinks; bytes sent = delivered + in flight = watch bytes', () => {
    const p99 = (r: ReturnType<typeof run>, model: string) => Number(r.rows.find((x) => x.model === model && x.phase === 'roll')!.programming_latency_p99_ms);
    const [fast, slow, slower] = ['0', '1Gbps', '100Mbps'].map(run);
    for (const model of ['endpoints', 'endpointslices']) {
      expect(p99(fast, model)).toBeLessThan(p99(slow, model));
      expect(p99(slow, model)).toBeLessThan(p99(slower, model));
    }
    for (const r of [fast, slow, slower]) {
      for (const m of r.runs) {
        expect(m.egress.sentBytes).toBe(m.egress.deliveredBytes + m.egress.inFlightBytes);
        expect(m.egress.sentBytes).toBe(m.metrics.total.watchBytes + m.metrics.total.relistBytes);
      }
    }
  });
});

describe('slow watchers', () => {
  const base = `name: t
cluster: {nodes: 30}
encoding: protobuf
endpointsController: {maxEndpoints: 0}
services: [{name: web, replicas: 400, pod: {startupDelay: {dist: uniform, min: 1s, max: 5s}, readinessDelay: {dist: uniform, min: 1s, max: 10s}}}]
workload:
  - {name: roll, at: 10s, action: rollingUpdate, service: web}
`;
  const run = (yaml: string, sets: string[] = []) => {
    const s = resolveScenario(parseYaml(yaml), 't.yaml', sets);
    const runs = s.models.map((m) => simulateModel(s, m));
    const rows = summaryRows(s, runs);
    return { runs, cell: (model: string, phase: string) => rows.find((r) => r.model === model && r.phase === phase)! };
  };

  it('apiserverRestart: every watcher of that instance re-lists everything it watches', () => {
    const yaml = `${base}  - {name: restart, at: 5m, action: apiserverRestart, instance: 1}\n`;
    const r = run(yaml, ['apiserver.instances=3']);
    for (const m of ['endpoints', 'endpointslices']) {
      const restart = r.cell(m, 'restart');
      const listBytes = Number(restart.relist_bytes) / 10; // 10 of the 30 nodes are on instance 1
      expect(listBytes).toBeGreaterThan(0);
      expect(Number.isInteger(listBytes)).toBe(true);
    }
    expect(Number(r.cell('endpoints', 'roll').relist_bytes)).toBe(0);
  });
});
