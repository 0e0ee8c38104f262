// Crashes found by trying slicesim as a new user would and by the fuzz tests, each kept as a named
// case: the scenario must now run to completion (or be refused with exit 2 before simulating).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadScenario, resolveScenario } from '../src/scenario/load.js';
import { simulateModel } from '../src/simulation.js';
import { REPO_DIR } from './paths.js';

describe('regressions: valid scenarios that crashed', () => {
  it('KEP-752 20,000 one-endpoint slices with the client rate limit lifted (writes sent by recursion overflowed the stack)', () => {
    const s = loadScenario(join(REPO_DIR, 'scenarios/kep752-20000x5000-b1.yaml'), ['controllerManager.qps=1000000', 'controllerManager.burst=1000000', 'workload=[]', 'cluster.nodes=200']);
    const run = simulateModel(s, 'endpointslices');
    expect(run.metrics.total.writes).toBe(20000);
  });
});

describe('regressions: pods per node', () => {
  const base = { name: 'full', cluster: { nodes: 1, maxPodsPerNode: 5 }, services: [{ name: 'web', replicas: 5 }] };

  it('a node full of pods makes new pods wait (Pending, no node) instead of throwing "no free pod IPs"', () => {
    // Churn replaces pods while the deleted ones hold their place for the 30 s grace period.
    const s = resolveScenario({ ...base, workload: [{ name: 'churn', at: '1s', action: 'churn', service: 'web', rate: 2, duration: '10s' }] }, 'full');
    const run = simulateModel(s, 'endpointslices');
    expect(Math.max(...run.metrics.byPhase.map((p) => p.endpointsPeak))).toBeLessThanOrEqual(5);
    expect(run.metrics.total.writes).toBeGreaterThan(1);
  });

  it('more pods than the nodes hold is refused before simulating, naming the key (254 on one node; a surge on a full node)', () => {
    expect(() => resolveScenario({ name: 'x', cluster: { nodes: 1 }, services: [{ name: 'web', replicas: 254 }] }, 'x')).toThrow(/services\[0\]\.replicas: .*110 pods each/);
    expect(() => resolveScenario({ ...base, workload: [{ name: 'roll', at: '1s', action: 'rollingUpdate', service: 'web', maxSurge: 1 }] }, 'x')).toThrow(/workload\[0\]\.maxSurge/);
    expect(() => resolveScenario({ ...base, cluster: { nodes: 1, maxPodsPerNode: 500, podCIDRMaskSize: 24 }, services: [{ name: 'web', replicas: 255 }] }, 'x')).toThrow(/holds 254 addresses/);
  });
});

describe('pod placement', () => {
  it('skips full nodes, and a pod with no room waits until a removed pod frees a place', async () => {
    const { PodFactory, buildNodes, buildService } = await import('../src/workload/cluster.js');
    const { Rng } = await import('../src/engine/rng.js');
    const s = resolveScenario({ name: 'x', cluster: { nodes: 2, maxPodsPerNode: 2 }, services: [{ name: 'web', replicas: 1 }] }, 'x');
    const rng = new Rng(1);
    const f = new PodFactory(rng, buildNodes(s), [buildService(s.services[0], rng)], s.services, 24, 2);
    const pods = Array.from({ length: 5 }, () => f.create(0));
    expect(pods.map((p) => p.nodeName.split('.')[0])).toEqual(['ip-10-0-0-0', 'ip-10-0-0-1', 'ip-10-0-0-0', 'ip-10-0-0-1', '']);
    const bound: string[] = [];
    f.whenBound(pods[4], () => bound.push('at once'), (node) => bound.push(node));
    expect(bound).toEqual([]);
    f.releaseIPs(pods[1]);
    expect(bound).toEqual(['ip-10-0-0-1.ec2.internal']);
  });
});
