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

describe('regressions: result files that disagreed (fuzz)', () => {
  // FUZZ_RUNS=1500, seed 2042248946: watchers stalled then closed by a one-event buffer had their
  // queues taken back from the link, and the cumulative timeseries column egress_sent_bytes went down.
  const doc = {
    name: 'fuzz', seed: 855, until: '70s', sampleEvery: '500ms',
    cluster: { nodes: 10, zones: ['zone-a'] },
    services: [{ name: 'svc0', replicas: 12, ports: [{ protocol: 'TCP', port: 1, targetPort: 3 }], publishNotReadyAddresses: true }],
    apiserver: { watchBufferEvents: 1, watchList: false, listCompression: false },
    workload: [
      { name: 'step0', at: '2s', action: 'rollingUpdate', service: 'svc0', maxSurge: 0 },
      { name: 'step1', at: '15s', action: 'apiserverRestart', instance: 0 },
      { name: 'step2', at: '46s', action: 'watcherStall', duration: '30s', nodes: 5 },
      { name: 'step3', at: '105s', action: 'nodeFailure', nodes: 4 },
    ],
  };

  it('egress_sent_bytes never decreases when a closed watcher\'s queue is dropped; it ends at sent + dropped of the books', () => {
    const run = simulateModel(resolveScenario(doc, 'fuzz.yaml'), 'endpoints');
    expect(run.egress.droppedBytes, 'the case drops queued bytes').toBeGreaterThan(0);
    const sent = run.samples.map((s) => s.egressSent);
    for (let k = 1; k < sent.length; k++) expect(sent[k], `sample ${k}`).toBeGreaterThanOrEqual(sent[k - 1]);
    expect(sent[sent.length - 1]).toBeLessThanOrEqual(run.egress.sentBytes + run.egress.droppedBytes);
  });
});

describe('regressions: full clusters in the replace model (fuzz)', () => {
  it('replace on a full cluster while a rollout\'s pods wait for a node: the new pod takes the victim\'s place (threw "no room")', () => {
    // Hunt with FUZZ seed 5000133: 3 nodes of 3 pods; a rollout with maxUnavailable 10 leaves its new pods
    // waiting behind terminating ones; the replace step's freed place went to a waiting pod.
    const doc = {
      name: 'fuzz', seed: 313, sampleEvery: '5s', models: ['endpointslices'],
      cluster: { nodes: 3, zones: ['zone-a'], maxPodsPerNode: 3, nodeCPU: 10 },
      services: [{ name: 'svc0', replicas: 5, selector: false, internalTrafficPolicy: 'Local', traffic: { requestsPerSecond: 0.5, from: 'nodes' }, pod: { shutdownDelay: '250ms' } }],
      apiserver: { watchBufferEvents: 10, watchList: false, listCompression: true },
      workload: [
        { name: 'step0', at: '45s', action: 'rollingUpdate', service: 'svc0', maxUnavailable: 10 },
        { name: 'step1', at: '62s', action: 'replace', service: 'svc0', count: 3 },
        { name: 'step2', at: '105s', action: 'nodeFailure', nodes: 2 },
      ],
    };
    const run = simulateModel(resolveScenario(doc, 'fuzz.yaml'), 'endpointslices');
    expect(run.metrics.byPhase[2].podsReplaced, 'phase step1 (initial, step0, step1)').toBe(3);
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
