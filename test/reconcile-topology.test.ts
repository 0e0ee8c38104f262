// Topology hints through `slicesim reconcile`'s code path (reconcileList): upstream's
// TestReconcileTopology and TestReconcile_TrafficDistribution (k8s.io/endpointslice reconciler_test.go
// at daa4d01084ee), with Nodes carrying zones, allocatable CPU and the Ready condition in the List.
import { describe, expect, it } from 'vitest';
import { reconcileList, type ReconcileOptions } from '../src/k8s/reconcile.js';
import type { Obj } from '../src/k8s/read.js';
import { list, pod, podIP, service } from './k8s-fixtures.js';

const readyNode = (name: string, zone: string, cpu = '100m', extra: Obj = {}): Obj => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'topology.kubernetes.io/zone': zone, ...((extra.labels as Obj) ?? {}) } },
  status: { conditions: [{ type: 'Ready', status: extra.ready === false ? 'False' : 'True' }], allocatable: { cpu } },
});

const run = (items: Obj[], o: Partial<ReconcileOptions> = {}) => reconcileList('test.json', items, { controller: 'endpointslice', maxEndpointsPerSlice: 100, maxEndpoints: 1000, ...o });

const zones = ['zone-a', 'zone-b', 'zone-c'];
/** 3 zones, 10 nodes and one pod per node; pod z*10+j runs on node-<zone>-<j>. */
const nodes = zones.flatMap((zone) => Array.from({ length: 10 }, (_, j) => readyNode(`node-${zone}-${j}`, zone)));
const podOn = (k: number) => pod(k, { node: `node-${zones[Math.floor(k / 10)]}-${k % 10}` });

/** An existing slice owned by Service foo holding these pods' endpoints (as podToEndpoint writes them). */
function existingSlice(name: string, ks: number[]): Obj {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name,
      namespace: 'test',
      labels: { 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io', 'kubernetes.io/service-name': 'foo' },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'foo', uid: 'uid-svc-foo', controller: true, blockOwnerDeletion: true }],
    },
    addressType: 'IPv4',
    ports: [{ name: '', protocol: 'TCP', port: 80 }],
    endpoints: ks.map((k) => ({
      addresses: [podIP(k)],
      conditions: { ready: true, serving: true, terminating: false },
      targetRef: { kind: 'Pod', namespace: 'test', name: `pod${k}`, uid: `uid-pod${k}` },
      nodeName: `node-${zones[Math.floor(k / 10)]}-${k % 10}`,
      zone: zones[Math.floor(k / 10)],
    })),
  };
}

const slicePods: Record<string, number[]> = { 'zone-a-b': [7, 8, 16, 17, 18], 'zone-a-c': [5, 6, 25, 26], 'zone-c': [27, 28, 29] };
const withAnnotation = (value: string, spec: Obj = {}) => service(spec, { annotations: { 'service.kubernetes.io/topology-aware-hints': value } });

/** Hints per zone over the written slices, and endpoints hinted for another zone than their own. */
function hintStats(slices: Obj[]): { byZone: Record<string, number>; crossZone: number; byNode: Record<string, number> } {
  const byZone: Record<string, number> = {};
  const byNode: Record<string, number> = {};
  let crossZone = 0;
  for (const s of slices) {
    for (const e of s.endpoints as Obj[]) {
      const hints = e.hints as { forZones?: { name: string }[]; forNodes?: { name: string }[] } | undefined;
      const zone = hints?.forZones?.length === 1 ? hints.forZones[0].name : '';
      byZone[zone] = (byZone[zone] ?? 0) + 1;
      if (zone && zone !== e.zone) crossZone++;
      for (const n of hints?.forNodes ?? []) byNode[n.name] = (byNode[n.name] ?? 0) + 1;
    }
  }
  return { byZone, crossZone, byNode };
}

describe('TestReconcileTopology', () => {
  it('no change, topologyCache disabled, annotation == auto', () => {
    const r = run(list(withAnnotation('auto'), slicePods['zone-c'].map(podOn), nodes, existingSlice('zone-c', slicePods['zone-c'])), { topologyAwareHints: false });
    expect([r.create.length, r.update.length, r.delete.length]).toEqual([0, 0, 0]);
  });

  it('enabling topologyCache, hintsAnnotation == auto', () => {
    const r = run(list(withAnnotation('auto'), slicePods['zone-c'].map(podOn), nodes, existingSlice('zone-c', slicePods['zone-c'])));
    expect([r.create.length, r.update.length, r.delete.length]).toEqual([0, 1, 0]);
    expect(hintStats(r.update)).toMatchObject({ byZone: { 'zone-a': 1, 'zone-b': 1, 'zone-c': 1 }, crossZone: 2 });
    expect(r.events?.map((e) => e.reason)).toEqual(['TopologyAwareHintsEnabled']);
  });

  it('topology enabled,  hintsAnnotation==auto, ratio beyond threshold', () => {
    const r = run(list(withAnnotation('auto'), slicePods['zone-a-c'].map(podOn), nodes, existingSlice('zone-a-c', slicePods['zone-a-c'])));
    expect([r.create.length, r.update.length, r.delete.length]).toEqual([0, 0, 0]);
    expect(r.events).toEqual([
      { type: 'Warning', reason: 'TopologyAwareHintsDisabled', message: 'Unable to allocate minimum required endpoints to each zone without exceeding overload threshold (4 endpoints, 3 zones), addressType: IPv4' },
    ]);
  });

  it('topology enabled, hintsAnnotation==Auto, more slices and endpoints', () => {
    const ks = [...slicePods['zone-a-c'], ...slicePods['zone-a-b']];
    const r = run(list(withAnnotation('Auto'), ks.map(podOn), nodes, existingSlice('zone-a-c', slicePods['zone-a-c']), existingSlice('zone-a-b', slicePods['zone-a-b'])));
    expect([r.create.length, r.update.length, r.delete.length]).toEqual([0, 2, 0]);
    expect(hintStats(r.update)).toMatchObject({ byZone: { 'zone-a': 3, 'zone-b': 3, 'zone-c': 3 }, crossZone: 1 });
  });

  it('topology enabled, hintsAnnotation==disabled, more slices and endpoints', () => {
    const ks = [...slicePods['zone-a-c'], ...slicePods['zone-a-b']];
    const r = run(list(withAnnotation('disabled'), ks.map(podOn), nodes, existingSlice('zone-a-c', slicePods['zone-a-c']), existingSlice('zone-a-b', slicePods['zone-a-b'])));
    expect([r.create.length, r.update.length, r.delete.length]).toEqual([0, 0, 0]);
    expect(r.events).toBeUndefined();
  });
});

describe('TestReconcile_TrafficDistribution', () => {
  // node-0 in zone-a holds pod0; node-1 in zone-b pods 1-3; node-2 in zone-c pods 4 and 5.
  const tdNodes = [0, 1, 2].map((i) => readyNode(`node-${i}`, `zone-${'abc'[i]}`));
  const tdPods = [0, 1, 1, 1, 2, 2].map((n, i) => pod(i, { node: `node-${n}` }));
  const svc = (td: string | undefined, annotation: string) => withAnnotation(annotation, td ? { trafficDistribution: td } : {});
  const cases: { name: string; td?: string; annotation: string; preferSame: boolean; byZone: Record<string, number>; byNode?: Record<string, number>; crossZone: number }[] = [
    { name: 'trafficDistribution=PreferClose, topologyAnnotation=Disabled', td: 'PreferClose', annotation: 'Disabled', preferSame: false, byZone: { 'zone-a': 1, 'zone-b': 3, 'zone-c': 2 }, crossZone: 0 },
    { name: 'trafficDistribution=PreferClose, topologyAnnotation=Auto', td: 'PreferClose', annotation: 'Auto', preferSame: false, byZone: { 'zone-a': 2, 'zone-b': 2, 'zone-c': 2 }, crossZone: 1 },
    { name: 'trafficDistribution=nil, topologyAnnotation=<empty>', annotation: '', preferSame: false, byZone: { '': 6 }, crossZone: 0 },
    {
      name: 'trafficDistribution=PreferSameNode, PSTD enabled', td: 'PreferSameNode', annotation: 'Disabled', preferSame: true,
      byZone: { 'zone-a': 1, 'zone-b': 3, 'zone-c': 2 }, byNode: { 'node-0': 1, 'node-1': 3, 'node-2': 2 }, crossZone: 0,
    },
    { name: 'trafficDistribution=PreferSameZone, PSTD disabled', td: 'PreferSameZone', annotation: 'Disabled', preferSame: false, byZone: { '': 6 }, crossZone: 0 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = run(list(svc(c.td, c.annotation), tdPods, tdNodes), { trafficDistributions: c.preferSame ? ['PreferClose', 'PreferSameZone', 'PreferSameNode'] : ['PreferClose'] });
      expect([r.create.length, r.update.length, r.delete.length]).toEqual([1, 0, 0]);
      const stats = hintStats(r.create);
      expect(stats.byZone).toEqual(c.byZone);
      expect(stats.crossZone).toBe(c.crossZone);
      expect(stats.byNode).toEqual(c.byNode ?? {});
    });
  }
});

describe('a capacity change alone rewrites hints (what hint_writes counts)', () => {
  it('zone-c, holding no endpoint, loses its nodes: slices are rewritten only for their hints', () => {
    // Endpoints in zone-a and zone-b only; zone-c's nodes are clients that hints must serve too.
    const ks = [0, 1, 2, 10, 11, 12];
    const cNodes = (ready: boolean) => Array.from({ length: 10 }, (_, j) => readyNode(`node-zone-c-${j}`, 'zone-c', '100m', { ready }));
    const abNodes = nodes.filter((n) => !String((n.metadata as Obj).name).includes('zone-c'));
    const first = run(list(withAnnotation('Auto'), ks.map(podOn), abNodes, cNodes(true)), { maxEndpointsPerSlice: 2 });
    const before = hintStats(first.create);
    expect(before.byZone['zone-c']).toBe(2);
    const stored = first.create.map((s, i) => ({ ...s, metadata: { ...(s.metadata as Obj), name: `s${i}` } }));
    // Same pods, zone-c NotReady: only the hints can change.
    const second = run(list(withAnnotation('Auto'), ks.map(podOn), abNodes, cNodes(false), stored), { maxEndpointsPerSlice: 2 });
    expect(second.create).toEqual([]);
    expect(second.update.length).toBeGreaterThan(0);
    for (const u of second.update) {
      const old = stored.find((s) => (s.metadata as Obj).name === (u.metadata as Obj).name)!;
      const strip = (o: Obj) => (o.endpoints as Obj[]).map(({ hints: _h, ...e }) => e);
      expect(strip(u)).toEqual(strip(old));
    }
    const after = hintStats([...second.update, ...stored.filter((s) => !second.update.some((u) => (u.metadata as Obj).name === (s.metadata as Obj).name))]);
    expect(after.byZone).toEqual({ 'zone-a': 3, 'zone-b': 3 });
  });
});

describe('hints across syncs (needsUpdate in the reconciler)', () => {
  const ks = [0, 1, 10, 11, 20, 21];
  const base = list(ks.map(podOn), nodes);
  it('an unchanged slice with missing hints is updated once trafficDistribution is set, then left alone', () => {
    const first = run(list(service({ trafficDistribution: 'PreferClose' }), base, existingSlice('s1', ks)));
    expect([first.create.length, first.update.length]).toEqual([0, 1]);
    expect(hintStats(first.update).byZone).toEqual({ 'zone-a': 2, 'zone-b': 2, 'zone-c': 2 });
    const stored = { ...first.update[0], metadata: { ...(first.update[0].metadata as Obj), name: 's1' } };
    const second = run(list(service({ trafficDistribution: 'PreferClose' }), base, stored));
    expect([second.create.length, second.update.length, second.delete.length]).toEqual([0, 0, 0]);
    // Dropping trafficDistribution strips the hints again (defaultHeuristic).
    const third = run(list(service(), base, stored));
    expect(third.update.length).toBe(1);
    expect(hintStats(third.update).byZone).toEqual({ '': 6 });
  });

  it('control-plane and unready nodes do not count; one zone left disables hints', () => {
    const twoZones = [readyNode('a', 'zone-a'), readyNode('b', 'zone-b', '100m', { labels: { 'node-role.kubernetes.io/control-plane': '' } }), readyNode('c', 'zone-c', '100m', { ready: false })];
    const r = run(list(withAnnotation('Auto'), pod(0, { node: 'a' }), pod(1, { node: 'a' }), twoZones));
    expect(hintStats(r.create).byZone).toEqual({ '': 2 });
    expect(r.events?.[0]).toMatchObject({ reason: 'TopologyAwareHintsDisabled', message: expect.stringContaining('Insufficient Node information') });
  });
});
