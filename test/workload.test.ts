// Pod lifecycles and workloads: the Deployment controller's rollout rules, one replacement's writes
// per model (peer-cases derived-single-replacement), batching, churn and node failures.
import { describe, expect, it } from 'vitest';
import { Simulator } from '../src/engine/simulator.js';
import { Rng } from '../src/engine/rng.js';
import { PodStore } from '../src/workload/pod-store.js';
import { buildNodes, buildService, PodFactory } from '../src/workload/cluster.js';
import { resolveFenceposts } from '../src/workload/deployment.js';
import { Workload } from '../src/workload/workload.js';
import { parse as parseYaml } from 'yaml';
import { resolveScenario } from '../src/scenario/load.js';

const parseScenario = (yaml: string, file: string) => resolveScenario(parseYaml(yaml), file);
import { simulateModel } from '../src/simulation.js';
import { summaryRows } from '../src/report/summary.js';

function run(yaml: string) {
  const s = parseScenario(yaml, 'test.yaml');
  const rows = summaryRows(s, s.models.map((m) => simulateModel(s, m)));
  return (model: string, phase: string) => rows.find((r) => r.model === model && r.phase === phase)!;
}

/** A cluster with a Workload but no controllers, to watch pods directly. */
function cluster(yaml: string) {
  const scenario = parseScenario(yaml, 'test.yaml');
  const sim = new Simulator();
  const rng = new Rng(scenario.seed);
  const nodes = buildNodes(scenario);
  const services = scenario.services.map((s) => buildService(s, rng));
  const pods = new PodStore(services.length);
  const workload = new Workload(sim, { delays: rng, victims: rng, churn: rng }, scenario, pods, new PodFactory(rng, nodes, services, scenario.services), nodes, () => {}, { etcdCompaction: () => {}, apiserverRestart: () => {}, watcherStall: () => {} });
  workload.createInitialPods();
  return { scenario, sim, pods, workload };
}

describe('Deployment rollout rules', () => {
  it.each([
    ['25%', '25%', 5000, 1250, 1250],
    ['25%', '25%', 10, 3, 2], // surge rounds up, unavailable down
    [0, 0, 10, 0, 1], // both zero would never progress
    [1, 0, 100, 1, 0],
    ['10%', 3, 4, 1, 3],
  ])('maxSurge %s, maxUnavailable %s of %i replicas -> surge %i, unavailable %i', (surge, unavailable, replicas, eSurge, eUnavailable) => {
    expect(resolveFenceposts(surge, unavailable, replicas)).toEqual({ surge: eSurge, unavailable: eUnavailable });
  });

  it.each([
    [1, 0],
    ['25%', '25%'],
    [0, '50%'],
  ])('keeps pods within replicas + maxSurge and available pods above replicas - maxUnavailable (maxSurge %s, maxUnavailable %s)', (maxSurge, maxUnavailable) => {
    const { scenario, sim, pods, workload } = cluster(`name: t
cluster: {nodes: 10}
services: [{name: web, replicas: 40, pod: {startupDelay: {dist: uniform, min: 1s, max: 3s}, readinessDelay: {dist: uniform, min: 1s, max: 4s}}}]
workload: [{name: roll, at: 10s, action: rollingUpdate, service: web, maxSurge: ${JSON.stringify(maxSurge)}, maxUnavailable: ${JSON.stringify(maxUnavailable)}}]`);
    const { surge, unavailable } = resolveFenceposts(maxSurge, maxUnavailable, 40);
    let worstTotal = 0;
    let worstAvailable = Infinity;
    const names = new Set<string>();
    // Invariants hold between controller actions: check them after every instant's events.
    const check = () => {
      const live = [...pods.podsOf(0)].filter((p) => p.deletionTimestamp === null);
      worstTotal = Math.max(worstTotal, live.length);
      worstAvailable = Math.min(worstAvailable, live.filter((p) => p.ready).length);
      for (const p of live) names.add(p.name.split('-')[1]);
    };
    sim.scheduleAt(10e6 as never, () => workload.run(scenario.workload[0]));
    for (let t = 10.5e6; t < 400e6; t += 0.5e6) sim.scheduleAt(t as never, check);
    sim.run(400e6 as never);
    const live = [...pods.podsOf(0)];
    expect(live).toHaveLength(40);
    expect(live.every((p) => p.ready)).toBe(true);
    expect(new Set(live.map((p) => p.name.split('-')[1])).size).toBe(1); // all on the new template
    expect(names.size).toBe(2);
    expect(worstTotal).toBeLessThanOrEqual(40 + surge);
    expect(worstAvailable).toBeGreaterThanOrEqual(40 - unavailable);
  });
});

describe('writes per replaced pod', () => {
  const base = (extra = '') => `name: one
cluster: {nodes: 5}
${extra}
services:
  - name: web
    replicas: 10
    pod: {startupDelay: 2s, readinessDelay: 5s, shutdownDelay: 5s, terminationGracePeriod: 30s}
`;

  it('derived-single-replacement: one replaced pod, every step its own sync: Endpoints 3 writes, slices 5', () => {
    const cell = run(`${base()}workload: [{name: replace-one, at: 1m, action: deletePods, service: web, count: 1}]`);
    expect(cell('endpoints', 'replace-one')).toMatchObject({ writes: 3, pods_replaced: 1, writes_per_replaced_pod: '3.00' });
    expect(cell('endpointslices', 'replace-one')).toMatchObject({ writes: 5, pods_replaced: 1 });
  });

  it.each([
    ['publishNotReadyAddresses: true', 2, 5], // Endpoints: every address is ready, terminating ones stay until gone
    ['ipFamilies: [IPv4, IPv6]', 3, 10], // one slice per family changes at every step
    ['headless: true', 3, 5], // same writes, but no kube-proxy receives them
  ])('one replaced pod with %s: Endpoints %i writes, slices %i', (option, eWrites, sWrites) => {
    const yaml = `${base()}workload: [{name: replace-one, at: 1m, action: deletePods, service: web, count: 1}]`.replace('    replicas: 10\n', `    replicas: 10\n    ${option}\n`);
    const cell = run(yaml);
    expect(cell('endpoints', 'replace-one').writes).toBe(eWrites);
    expect(cell('endpointslices', 'replace-one').writes).toBe(sWrites);
    const watched = option.startsWith('headless') ? 0 : 5; // 5 nodes
    expect(cell('endpoints', 'replace-one').watch_events).toBe(eWrites * watched);
  });

  it('several services: each has its own objects and writes', () => {
    const yaml = `name: two
cluster: {nodes: 4}
services:
  - {name: a, replicas: 150}
  - {name: b, replicas: 20, ports: [{name: grpc, port: 9000, targetPort: grpc}], pod: {containerPorts: [{name: grpc, containerPort: 9090}]}}
workload: [{name: roll-b, at: 1m, action: rollingUpdate, service: b, maxSurge: 1, maxUnavailable: 0}]`;
    const cell = run(yaml);
    expect(cell('endpoints', 'initial')).toMatchObject({ writes: 2, objects_end: 2 });
    expect(cell('endpointslices', 'initial')).toMatchObject({ writes: 3, objects_end: 3 }); // 100 + 50 for a, 20 for b
    expect(cell('endpoints', 'roll-b').pods_replaced).toBe(20);
  });

  it('batch period: changes within the window of the first one share one sync (es-batching, ep-batching)', () => {
    const scaleUp = `workload: [{name: grow, at: 1m, action: scale, service: web, replicas: 13}]`;
    const spread = (yaml: string) => yaml.replace('startupDelay: 2s', 'startupDelay: {dist: uniform, min: 100ms, max: 900ms}');
    const unbatched = run(spread(`${base()}${scaleUp}`));
    const batched = run(spread(`${base('endpointsController: {batchPeriod: 1s}\nendpointSliceController: {batchPeriod: 1s}')}${scaleUp}`));
    for (const m of ['endpoints', 'endpointslices']) {
      expect(unbatched(m, 'grow').writes).toBe(6); // 3 IPs, 3 Ready, each at its own time
      expect(batched(m, 'grow').writes).toBe(2); // the IPs together, the Ready conditions together
    }
  });
});

describe('churn and node failures', () => {
  it('churn replaces pods at the given rate, reproducibly', () => {
    const yaml = `name: c
cluster: {nodes: 10}
services: [{name: web, replicas: 50}]
workload: [{name: churn, at: 10s, action: churn, service: web, rate: 2, duration: 30s}]`;
    const a = run(yaml)('endpoints', 'churn');
    expect(Number(a.pods_replaced)).toBeGreaterThan(40); // Poisson mean 60
    expect(Number(a.pods_replaced)).toBeLessThan(85);
    expect(run(yaml)('endpointslices', 'churn')).toEqual({ ...run(yaml)('endpointslices', 'churn') });
    expect(run(yaml)('endpoints', 'churn').pods_replaced).toBe(a.pods_replaced);
  });

  it('nodeFailure by zone turns exactly the pods on that zone\'s nodes not ready, and they stay so', () => {
    const { scenario, sim, pods, workload } = cluster(`name: n
cluster: {nodes: 9, zones: [a, b, c]}
services: [{name: web, replicas: 90}]
workload: [{name: fail, at: 10s, action: nodeFailure, zone: b}]`);
    sim.scheduleAt(10e6 as never, () => workload.run(scenario.workload[0]));
    sim.run(100e6 as never);
    const all = [...pods.podsOf(0)];
    const zoneOf = new Map(buildNodes(scenario).map((n) => [n.name, n.zone]));
    expect(all.filter((p) => !p.ready).map((p) => zoneOf.get(p.nodeName))).toEqual(Array(30).fill('b'));
  });
});
