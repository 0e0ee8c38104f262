// Whole runs: both models see the same workload (random streams per component), endpoints_peak is
// the model's own stored endpoints, rollouts remove the doubled-up old pods first (read from
// trace.csv), both controllers write in a real cluster's profile, a stale informer delays syncs, and
// invalid rollouts are refused.
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { resolveScenario, ScenarioError } from '../src/scenario/load.js';
import { simulateModel } from '../src/simulation.js';
import { summaryRows } from '../src/report/summary.js';
import { traceCsv } from '../src/report/trace.js';

const scenario = (yaml: string, sets: string[] = []) => resolveScenario(parseYaml(yaml), 'test.yaml', sets);
const runBoth = (yaml: string, sets: string[] = []) => {
  const s = scenario(yaml, sets);
  const runs = s.models.map((m) => simulateModel(s, m, s.seed, undefined, { trace: true }));
  return { s, runs, rows: summaryRows(s, runs) };
};
const cell = (rows: ReturnType<typeof summaryRows>, model: string, phase: string) => rows.find((r) => r.model === model && r.phase === phase)!;

describe('like for like: both models see the same workload', () => {
  const churn = `name: churn
cluster: {nodes: 20}
services: [{name: web, replicas: 200, pod: {startupDelay: {dist: uniform, min: 1s, max: 3s}, readinessDelay: {dist: exponential, mean: 4s}}}]
workload:
  - {name: churn, at: 10s, action: churn, service: web, rate: 20, duration: 60s}
  - {name: kill, at: 90s, action: deletePods, service: web, count: 30}
`;
  it('the same pods are created, replaced and deleted at the same times in both models', () => {
    const { runs, rows } = runBoth(churn);
    expect(Number(cell(rows, 'endpoints', 'all').pods_replaced)).toBeGreaterThan(1000);
    expect(cell(rows, 'endpoints', 'all').pods_replaced).toBe(cell(rows, 'endpointslices', 'all').pods_replaced);
    const podRows = (i: number) => runs[i].trace!.filter((r) => r.kind === 'Pod').map((r) => `${r.time} ${r.object} ${r.action}`);
    expect(podRows(0).length).toBeGreaterThan(3000);
    expect(podRows(0)).toEqual(podRows(1));
  });

  it('a different seed changes the workload', () => {
    const a = runBoth(churn).runs[0].trace!.filter((r) => r.kind === 'Pod').map((r) => r.object);
    const b = runBoth(churn, ['seed=2']).runs[0].trace!.filter((r) => r.kind === 'Pod').map((r) => r.object);
    expect(a).not.toEqual(b);
  });
});

describe('endpoints_peak per model', () => {
  it('the Endpoints model never holds more than replicas + maxSurge (terminating pods leave at once)', () => {
    const { rows } = runBoth(`name: peak
cluster: {nodes: 10}
services: [{name: web, replicas: 40}]
workload: [{name: roll, at: 10s, action: rollingUpdate, service: web, maxSurge: 10, maxUnavailable: 0}]
`);
    expect(cell(rows, 'endpoints', 'roll').endpoints_peak).toBe(50);
    // The slice model keeps terminating pods until they are gone, so it holds more.
    expect(Number(cell(rows, 'endpointslices', 'roll').endpoints_peak)).toBeGreaterThan(50);
  });
});

describe('rollout victims (ActivePodsWithRanks), read from trace.csv', () => {
  it('each new pod doubles up a node; the old pod on that node is removed first', () => {
    const { runs } = runBoth(`name: victims
models: [endpoints]
cluster: {nodes: 4}
services: [{name: web, replicas: 4}]
workload: [{name: roll, at: 10s, action: rollingUpdate, service: web, maxSurge: 1, maxUnavailable: 0}]
`);
    const csv = traceCsv(runs).trim().split('\n').slice(1).map((l) => l.split(','));
    const created = csv.filter((r) => r[2] === 'Pod' && r[4] === 'created').map((r) => r[3]);
    const old = created.slice(0, 4); // created at time 0 on nodes 0..3 in turn
    const terminated = csv.filter((r) => r[2] === 'Pod' && r[4] === 'terminating').map((r) => r[3]);
    // New pods land on nodes 0, 1, 2, 3 in turn: the old pods go in creation order, not newest first.
    expect(terminated).toEqual(old);
  });
});

describe('version profile in the simulation', () => {
  const yaml = `name: both
cluster: {nodes: 5}
services: [{name: web, replicas: 10}]
workload: [{name: roll, at: 10s, action: rollingUpdate, service: web}]
`;
  it('from 1.18 both controllers write in each model; kube-proxy watches only the model kind', () => {
    const alone = runBoth(yaml);
    const real = runBoth(yaml, ['kubernetes=1.33']);
    for (const model of ['endpoints', 'endpointslices']) {
      const run = real.runs.find((r) => r.model === model)!;
      const kinds = new Set(run.trace!.filter((r) => r.kind !== 'Pod').map((r) => r.kind));
      expect(kinds).toEqual(new Set(['Endpoints', 'EndpointSlice']));
      // More writes and etcd bytes than the model alone; the same watch events (their bytes differ
      // only by the longer resourceVersions of a busier etcd).
      expect(Number(cell(real.rows, model, 'all').writes)).toBeGreaterThan(Number(cell(alone.rows, model, 'all').writes));
      expect(Number(cell(real.rows, model, 'all').etcd_bytes)).toBeGreaterThan(Number(cell(alone.rows, model, 'all').etcd_bytes));
      expect(cell(real.rows, model, 'all').watch_events).toBe(cell(alone.rows, model, 'all').watch_events);
    }
    const soloKinds = new Set(alone.runs[0].trace!.filter((r) => r.kind !== 'Pod').map((r) => r.kind));
    expect(soloKinds).toEqual(new Set(['Endpoints']));
  });
});

describe('stale informer (EndpointSliceTracker.StaleSlices, staleEndpointsTracker)', () => {
  it('a sync that starts before its last write shows is requeued: writes are at least informerDelay apart', () => {
    const yaml = `name: stale
models: [endpoints]
cluster: {nodes: 5}
services: [{name: web, replicas: 30}]
workload: [{name: roll, at: 10s, action: rollingUpdate, service: web}]
`;
    const writeTimes = (sets: string[]) => runBoth(yaml, sets).runs[0].trace!.filter((r) => r.kind === 'Endpoints').map((r) => r.time);
    const gaps = (t: number[]) => t.slice(1).map((x, i) => x - t[i]);
    expect(Math.min(...gaps(writeTimes([])))).toBeLessThan(2e6);
    const stale = writeTimes(['controllerManager.informerDelay=2s']);
    expect(Math.min(...gaps(stale))).toBeGreaterThanOrEqual(2e6);
    expect(stale.length).toBeGreaterThan(3);
  });
});

describe('rolling update validation (ValidateRollingUpdateDeployment)', () => {
  const rollout = (surge: string, unavailable: string) => `name: v
cluster: {nodes: 2}
services: [{name: web}]
workload: [{name: roll, at: 1s, action: rollingUpdate, service: web, maxSurge: ${surge}, maxUnavailable: ${unavailable}}]
`;
  it.each([
    ['0', '0', /workload\[0\]\.maxUnavailable: may not be 0 when maxSurge is 0/],
    ['0%', '0', /may not be 0 when maxSurge is 0/],
    ['1', '101%', /workload\[0\]\.maxUnavailable: 101% is more than 100%/],
  ])('maxSurge %s, maxUnavailable %s is refused', (surge, unavailable, message) => {
    expect(() => scenario(rollout(surge, unavailable))).toThrow(ScenarioError);
    expect(() => scenario(rollout(surge, unavailable))).toThrow(message);
  });

  it.each([
    ['0', '1'],
    ['1', '0'],
    ['0', '100%'],
  ])('maxSurge %s, maxUnavailable %s is accepted', (surge, unavailable) => {
    expect(() => scenario(rollout(surge, unavailable))).not.toThrow();
  });
});

describe('slicesim run --trace', () => {
  it('writes trace.csv with the SPEC columns, in time order', async () => {
    const { spawnSync } = await import('node:child_process');
    const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { REPO_DIR } = await import('./paths.js');
    const dir = mkdtempSync(join(tmpdir(), 'trace-'));
    writeFileSync(join(dir, 's.yaml'), 'name: t\ncluster: {nodes: 2}\nservices: [{name: web, replicas: 3}]\nworkload: [{name: roll, at: 5s, action: rollingUpdate, service: web}]\n');
    const r = spawnSync('node', [join(REPO_DIR, 'dist/cli/main.js'), 'run', join(dir, 's.yaml'), '--out', join(dir, 'o'), '--quiet', '--trace'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const lines = readFileSync(join(dir, 'o', 'trace.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('time,model,kind,object,action,bytes');
    const times = lines.slice(1).map((l) => Number(l.split(',')[0]));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(lines.some((l) => /,endpointslices,EndpointSlice,default\/web-[a-z0-9]{5},update,\d+$/.test(l))).toBe(true);
    expect(lines.some((l) => /,endpoints,Pod,default\/web-[a-z0-9]+-[a-z0-9]{5},terminating,$/.test(l))).toBe(true);
  });
});
