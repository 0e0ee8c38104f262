// Topology end to end, through simulateModel: the checks the issue names. Three equal zones and
// equal endpoints: PreferClose keeps cross-zone traffic near 0, no routing sends about 2/3 across;
// lopsided CPU shifts hints (or removes them) as topologycache's thresholds say; a zone failure
// changes hints and its writes are counted; topologyKeys [hostname] alone drops traffic from nodes
// without a local endpoint. Figures are derived from the scenario, not written down.
import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../src/scenario/load.js';
import { simulateModel, type ModelRun } from '../src/simulation.js';
import { summaryRows } from '../src/report/summary.js';
import { topologyCsv } from '../src/report/topology.js';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_DIR } from './paths.js';

const NODES = 300;
const REPLICAS = 30;

function run(service: Record<string, unknown>, extra: Record<string, unknown> = {}, workload: unknown[] = []) {
  const s = resolveScenario(
    { name: 't', models: ['endpointslices'], cluster: { nodes: NODES }, services: [{ name: 'web', replicas: REPLICAS, traffic: { requestsPerSecond: 900 }, ...service }], workload, ...extra },
    't.yaml',
  );
  const runs = [simulateModel(s, 'endpointslices')];
  const rows = summaryRows(s, runs);
  return { s, runs, rows, row: (phase: string) => rows.find((r) => r.phase === phase)! };
}

const rollout = [{ name: 'rollout', at: '1m', action: 'rollingUpdate', service: 'web' }];

describe('three equal zones, equal endpoints', () => {
  it('PreferClose keeps cross-zone traffic near 0; no routing sends about 2/3 across zones', () => {
    const close = run({ trafficDistribution: 'PreferClose' }, {}, rollout);
    const none = run({}, {}, rollout);
    expect(Number(close.row('all').cross_zone_traffic_fraction)).toBeLessThan(0.01);
    // Each client zone holds 1/3 of the endpoints: 2/3 of its requests leave it.
    expect(Number(none.row('all').cross_zone_traffic_fraction)).toBeCloseTo(2 / 3, 2);
    expect(Number(none.row('initial').max_endpoint_load_ratio)).toBeCloseTo(1, 6);
    // The hints cost bytes on every write, and no write of their own (every slice is written anyway).
    expect(Number(close.row('all').watch_bytes)).toBeGreaterThan(Number(none.row('all').watch_bytes));
    expect(close.row('all').writes).toBe(none.row('all').writes);
  });

  it('a run with no workload (one sample) still reports its busiest endpoint: every endpoint alike', () => {
    expect(Number(run({}).row('all').max_endpoint_load_ratio)).toBeCloseTo(1, 6);
  });

  it('the same holds for topology-aware hints (Auto) and PreferSameZone', () => {
    for (const service of [{ topologyMode: 'Auto' }, { trafficDistribution: 'PreferSameZone' }]) {
      expect(Number(run(service).row('all').cross_zone_traffic_fraction)).toBeLessThan(0.01);
    }
  });

  it('the endpoints model routes without topology (Endpoints carry no hints)', () => {
    const s = resolveScenario({ name: 't', models: ['endpoints'], cluster: { nodes: NODES }, services: [{ name: 'web', replicas: REPLICAS, trafficDistribution: 'PreferClose', traffic: { requestsPerSecond: 900 } }] }, 't.yaml');
    const rows = summaryRows(s, [simulateModel(s, 'endpoints')]);
    expect(Number(rows.find((r) => r.phase === 'all')!.cross_zone_traffic_fraction)).toBeCloseTo(2 / 3, 2);
  });
});

describe('lopsided CPU (topologycache thresholds)', () => {
  const cpu = { 'zone-a': 16, 'zone-b': 8, 'zone-c': 4 };
  const total = 16 + 8 + 4;
  it('shifts hints toward the zone with more CPU: each zone is hinted about its CPU share of the endpoints', () => {
    const r = run({ topologyMode: 'Auto', traffic: { requestsPerSecond: 900, from: 'cpu' } }, { cluster: { nodes: NODES, nodeCPU: cpu } });
    const last = r.runs[0].traffic!.samples.slice(-3);
    for (const z of last) {
      const share = cpu[z.zone as keyof typeof cpu] / total;
      const desired = share * REPLICAS;
      // Hints land within one endpoint of the desired count (redistribution stops below half an endpoint).
      expect(Math.abs(z.hintedEndpoints - desired)).toBeLessThanOrEqual(1);
      expect(z.hintedEndpoints).toBeGreaterThanOrEqual(Math.ceil(desired / 1.2));
    }
    // zone-a's clients use more endpoints than zone-a holds: some of its requests cross zones.
    const crossA = last.find((z) => z.zone === 'zone-a')!;
    expect(crossA.crossZone / crossA.requestsPerSecond).toBeGreaterThan(0.1);
  });

  it('removes every hint when the per-zone minimums exceed the endpoints (3 endpoints, 16/4/4 cores)', () => {
    const r = run({ replicas: 3, topologyMode: 'Auto' }, { cluster: { nodes: NODES, nodeCPU: { 'zone-a': 16, 'zone-b': 4, 'zone-c': 4 } } });
    // zone-a: desired 2, minimum ceil(2 / 1.2) = 2; zone-b and zone-c 1 each: 4 > 3.
    const last = r.runs[0].traffic!.samples.slice(-3);
    expect(last.map((z) => z.hintedEndpoints)).toEqual([0, 0, 0]);
    expect(Number(r.row('all').cross_zone_traffic_fraction)).toBeCloseTo(2 / 3, 2);
  });
});

describe('zone failure', () => {
  it('changes hints, shifts traffic and counts the writes', () => {
    const r = run(
      { replicas: 60, topologyMode: 'Auto', traffic: { requestsPerSecond: 900, from: 'cpu' } },
      { cluster: { nodes: NODES, nodeCPU: { 'zone-a': 8, 'zone-b': 8, 'zone-c': 16 } }, endpointSliceController: { maxEndpointsPerSlice: 20 } },
      [{ name: 'zone-failure', at: '2m', action: 'nodeFailure', zone: 'zone-c' }],
    );
    const samples = r.runs[0].traffic!.samples;
    const before = samples.filter((z) => z.phase === 'initial').slice(-3);
    const after = samples.filter((z) => z.phase === 'zone-failure').slice(-3);
    const hinted = (rows: typeof samples, zone: string) => rows.find((z) => z.zone === zone)!.hintedEndpoints;
    // Before: zone-c (half the CPU) is hinted more endpoints than it holds (20); after: none, and the others their own 20.
    expect(hinted(before, 'zone-c')).toBeGreaterThan(20);
    expect(hinted(after, 'zone-c')).toBe(0);
    expect([hinted(after, 'zone-a'), hinted(after, 'zone-b')]).toEqual([20, 20]);
    expect(Number(r.row('initial').cross_zone_traffic_fraction)).toBeGreaterThan(0.05);
    expect(Number(r.row('zone-failure').cross_zone_traffic_fraction)).toBeLessThan(0.01);
    // Every slice holds zone-c endpoints: each is rewritten once; none of them for hints alone.
    expect(r.row('zone-failure').writes).toBe(3);
    expect(r.row('zone-failure').hint_writes).toBe(0);
  });

});

describe('capacity change alone (a client-only zone fails)', () => {
  it('rewrites slices for their hints alone, and those writes are every write of the phase', () => {
    const r = run(
      { zones: ['zone-a', 'zone-b'], topologyMode: 'Auto' },
      { endpointSliceController: { maxEndpointsPerSlice: 10 } },
      [{ name: 'zone-failure', at: '2m', action: 'nodeFailure', zone: 'zone-c' }],
    );
    const samples = r.runs[0].traffic!.samples;
    const before = samples.filter((z) => z.phase === 'initial').slice(-3);
    // zone-c holds no endpoint yet gets its CPU share (a third) of the hints: its clients all cross.
    expect(before.find((z) => z.zone === 'zone-c')!).toMatchObject({ readyEndpoints: 0, hintedEndpoints: REPLICAS / 3 });
    const failure = r.row('zone-failure');
    expect(Number(failure.hint_writes)).toBeGreaterThan(0);
    expect(failure.writes).toBe(failure.hint_writes);
    expect(Number(failure.cross_zone_traffic_fraction)).toBe(0);
  });

  it('a zone with no node cannot hold a service\'s pods', () => {
    expect(() => resolveScenario({ name: 't', cluster: { nodes: 2 }, services: [{ name: 'web', zones: ['zone-c'] }] }, 't.yaml')).toThrow(/services\[0\]\.zones\[0\]: zone "zone-c" has no node/);
  });
});

describe('topologyKeys (1.17-1.21)', () => {
  it('[kubernetes.io/hostname] alone drops traffic from nodes without a local endpoint', () => {
    const r = run({ topologyKeys: ['kubernetes.io/hostname'] }, { kubernetes: '1.21' });
    // One pod per node on the first 30 of 300 nodes: 270 nodes have no local endpoint.
    expect(Number(r.row('all').dropped_traffic_fraction)).toBeCloseTo((NODES - REPLICAS) / NODES, 3);
    expect(Number(r.row('all').cross_zone_traffic_fraction)).toBe(0);
  });

  it('the seed example [hostname, zone, *] falls back to the zone: nothing dropped, nothing across zones', () => {
    const r = run({ topologyKeys: ['kubernetes.io/hostname', 'topology.kubernetes.io/zone', '*'] }, { kubernetes: '1.21' });
    expect(Number(r.row('all').dropped_traffic_fraction)).toBe(0);
    expect(Number(r.row('all').cross_zone_traffic_fraction)).toBe(0);
  });

  it('from 1.22 topologyKeys are gone: every endpoint is used', () => {
    const r = run({ topologyKeys: ['kubernetes.io/hostname'] }, { kubernetes: '1.22' });
    expect(Number(r.row('all').dropped_traffic_fraction)).toBe(0);
  });
});

describe('result files', () => {
  it('topology.csv has a row per zone and sample; scenarios without traffic have no traffic columns', () => {
    const r = run({ trafficDistribution: 'PreferClose' });
    const csv = topologyCsv('t', r.runs as ModelRun[]);
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('scenario,model,time_s,phase,zone,nodes,requests_per_second,cross_zone_traffic_fraction,dropped_traffic_fraction,ready_endpoints,hinted_endpoints,max_endpoint_load_ratio');
    expect(lines.length - 1).toBe(3 * r.runs[0].samples.length);
    const plain = resolveScenario({ name: 'p', models: ['endpointslices'], cluster: { nodes: 3 }, services: [{ name: 'web', replicas: 3 }] }, 'p.yaml');
    const rows = summaryRows(plain, [simulateModel(plain, 'endpointslices')]);
    expect('cross_zone_traffic_fraction' in rows[0]).toBe(false);
  });
});

describe('README "Routing by topology"', () => {
  it('holds the table tools/topology-table.mjs prints from the committed results', () => {
    const table = execFileSync(process.execPath, [join(REPO_DIR, 'tools', 'topology-table.mjs'), join(REPO_DIR, 'results')], { encoding: 'utf8' });
    expect(table.split('\n').length).toBeGreaterThan(10);
    expect(readFileSync(join(REPO_DIR, 'README.md'), 'utf8')).toContain(table);
  });
});
