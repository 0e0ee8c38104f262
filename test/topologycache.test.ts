// Table tests from k8s.io/endpointslice topologycache/topologycache_test.go (TestAddHints,
// TestSetNodes) and topologycache/utils_test.go (Test_redistributeHints,
// Test_getGivingAndReceivingZones, Test_getHintsByZone), at commit daa4d01084ee; case names are upstream's.
import { describe, expect, it } from 'vitest';
import { getGivingAndReceivingZones, getHintsByZone, redistributeHints, zoneHintCounts, type Allocation } from '../src/controllers/endpointslice/topologycache/allocations.js';
import { TopologyCache } from '../src/controllers/endpointslice/topologycache/cache.js';
import { INSUFFICIENT_NODE_INFO, INSUFFICIENT_NUMBER_OF_ENDPOINTS, TOPOLOGY_AWARE_HINTS_ENABLED } from '../src/controllers/endpointslice/topologycache/events.js';
import { parseMilliCPU, zoneCapacity, type TopologyNode } from '../src/controllers/endpointslice/topologycache/nodes.js';
import { ep, hz, slice, view, want, type Ep } from './topology-helpers.js';

const m = <V>(o: Record<string, V>) => new Map(Object.entries(o));
const alloc = (o: Record<string, Partial<Allocation>>) => new Map(Object.entries(o).map(([k, v]) => [k, { minimum: 0, maximum: 0, desired: 0, ...v }]));

describe('TestSetNodes', () => {
  const node = (zone: string, cpu: string, ready: boolean, controlPlane = false): TopologyNode => ({ name: '', zone, allocatableMilliCPU: parseMilliCPU(cpu)!, ready, controlPlane });
  const cases: { name: string; nodes: TopologyNode[]; ratios?: Record<string, number>; cpu?: Record<string, number> }[] = [
    { name: 'empty', nodes: [] },
    { name: 'single node', nodes: [node('zone-a', '1000m', true)] },
    { name: 'single zone', nodes: [node('zone-a', '1000m', true), node('zone-a', '1000m', true)] },
    { name: '2 zones', nodes: [node('zone-a', '1000m', true), node('zone-b', '1000m', true)], ratios: { 'zone-a': 0.5, 'zone-b': 0.5 }, cpu: { 'zone-a': 1000, 'zone-b': 1000 } },
    { name: '2 zones, unready node in 1, ready node in 1', nodes: [node('zone-a', '1000m', false), node('zone-b', '1000m', true)] },
    { name: '2 zones, control plane node in 1, ready node in 1', nodes: [node('zone-a', '1000m', true), node('zone-b', '1000m', true, true)] },
    {
      name: '2 zones, unready node in 1, ready node in 2',
      nodes: [node('zone-a', '1000m', true), node('zone-b', '1000m', true), node('zone-b', '1000m', false)],
      ratios: { 'zone-a': 0.5, 'zone-b': 0.5 },
      cpu: { 'zone-a': 1000, 'zone-b': 1000 },
    },
    {
      name: '2 zones, control plane node in 1, ready node in 2',
      nodes: [node('zone-a', '1000m', true), node('zone-b', '1000m', true), node('zone-b', '1000m', true, true)],
      ratios: { 'zone-a': 0.5, 'zone-b': 0.5 },
      cpu: { 'zone-a': 1000, 'zone-b': 1000 },
    },
    {
      name: '3 zones, 4 nodes in 1, 2 nodes in 1, 1 node in 1',
      nodes: [
        node('zone-a', '1000m', true), node('zone-a', '1000m', true), node('zone-a', '1000m', true), node('zone-a', '2000m', true),
        node('zone-b', '3000m', true), node('zone-b', '1500m', true), node('zone-c', '500m', true),
      ],
      ratios: { 'zone-a': 0.5, 'zone-b': 0.45, 'zone-c': 0.05 },
      cpu: { 'zone-a': 5000, 'zone-b': 4500, 'zone-c': 500 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = zoneCapacity(c.nodes);
      expect(got.cpuRatiosByZone ? Object.fromEntries(got.cpuRatiosByZone) : undefined).toEqual(c.ratios);
      expect(got.cpuByZone ? Object.fromEntries(got.cpuByZone) : undefined).toEqual(c.cpu);
    });
  }
  it('a node without zone or allocatable CPU makes the information insufficient', () => {
    expect(zoneCapacity([node('zone-a', '1', true), node('zone-b', '1', true), node('', '1', true)])).toEqual({});
    expect(zoneCapacity([node('zone-a', '1', true), node('zone-b', '1', true), { ...node('zone-b', '1', true), allocatableMilliCPU: 0 }])).toEqual({});
  });
  it('reads CPU quantities as MilliValue does', () => {
    expect([parseMilliCPU('4'), parseMilliCPU('3500m'), parseMilliCPU('0.5'), parseMilliCPU('2k'), parseMilliCPU('x')]).toEqual([4000, 3500, 500, 2_000_000, undefined]);
  });
});

describe('Test_getGivingAndReceivingZones', () => {
  const cases: { name: string; allocations: Record<string, number>; allocated: Record<string, number>; giving: Record<string, number>; receiving: Record<string, number> }[] = [
    { name: 'empty', allocations: {}, allocated: {}, giving: {}, receiving: {} },
    { name: 'simple allocation with no need for rebalancing', allocations: { 'zone-a': 1.2, 'zone-b': 1.1, 'zone-c': 1.0 }, allocated: { 'zone-a': 1, 'zone-b': 1, 'zone-c': 1 }, giving: {}, receiving: {} },
    {
      name: 'preference for same zone even when giving an extra endpoint would result in slightly better distribution',
      allocations: { 'zone-a': 5.1, 'zone-b': 5.1, 'zone-c': 5.8 }, allocated: { 'zone-a': 16 }, giving: { 'zone-a': 10 }, receiving: { 'zone-b': 5, 'zone-c': 5 },
    },
    {
      name: 'when 2 zones need < 1 endpoint, give to zone that needs endpoint most',
      allocations: { 'zone-a': 5.0, 'zone-b': 5.6, 'zone-c': 5.4 }, allocated: { 'zone-a': 16 }, giving: { 'zone-a': 11 }, receiving: { 'zone-b': 6, 'zone-c': 5 },
    },
    {
      name: 'when 2 zones have extra endpoints, give from zone with most extra',
      allocations: { 'zone-a': 5.0, 'zone-b': 5.6, 'zone-c': 5.4 }, allocated: { 'zone-b': 8, 'zone-c': 8 }, giving: { 'zone-b': 2, 'zone-c': 3 }, receiving: { 'zone-a': 5 },
    },
    { name: 'ensure function can handle unexpected data (more allocated than allocations)', allocations: { 'zone-a': 5, 'zone-b': 5, 'zone-c': 5 }, allocated: { 'zone-a': 6, 'zone-b': 6, 'zone-c': 6 }, giving: {}, receiving: {} },
    { name: 'ensure function can handle unexpected data (negative allocations)', allocations: { 'zone-a': -5, 'zone-b': -5, 'zone-c': -5 }, allocated: { 'zone-a': 6, 'zone-b': 6, 'zone-c': 6 }, giving: {}, receiving: {} },
    { name: 'ensure function can handle unexpected data (negative allocated)', allocations: { 'zone-a': 5, 'zone-b': 5, 'zone-c': 5 }, allocated: { 'zone-a': -4, 'zone-b': -3, 'zone-c': -2 }, giving: {}, receiving: {} },
    {
      name: 'ensure function can handle unexpected data (negative for 1 zone)',
      allocations: { 'zone-a': 5, 'zone-b': 5, 'zone-c': 5 }, allocated: { 'zone-a': -40, 'zone-b': 20, 'zone-c': 20 }, giving: { 'zone-b': 15, 'zone-c': 15 }, receiving: { 'zone-a': 30 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const allocations = alloc(Object.fromEntries(Object.entries(c.allocations).map(([z, desired]) => [z, { desired }])));
      const got = getGivingAndReceivingZones(allocations, m(c.allocated));
      expect(Object.fromEntries(got.giving)).toEqual(c.giving);
      expect(Object.fromEntries(got.receiving)).toEqual(c.receiving);
    });
  }
});

describe('Test_redistributeHints', () => {
  const a = { zone: 'zone-a', hints: hz('zone-a') };
  const cases: { name: string; slices: Ep[][]; giving: Record<string, number>; receiving: Record<string, number>; expected: Record<string, number> }[] = [
    { name: 'empty', slices: [], giving: {}, receiving: {}, expected: {} },
    { name: 'single endpoint', slices: [[a]], giving: { 'zone-a': 1 }, receiving: { 'zone-b': 1 }, expected: { 'zone-a': -1, 'zone-b': 1 } },
    { name: 'endpoints from 1 zone redistributed to 2 other zones', slices: [[a, a, a]], giving: { 'zone-a': 2 }, receiving: { 'zone-b': 1, 'zone-c': 1 }, expected: { 'zone-a': -2, 'zone-b': 1, 'zone-c': 1 } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const lists = c.slices.map((s) => s.map(ep));
      expect(Object.fromEntries(redistributeHints(lists, m(c.giving), m(c.receiving)))).toEqual(c.expected);
      // The moved endpoints now carry the receiving zones' hints.
      const hinted = lists.flat().map((e) => e.hints?.forZones?.[0]);
      for (const [zone, d] of Object.entries(c.expected)) if (d > 0) expect(hinted.filter((z) => z === zone)).toHaveLength(d);
    });
  }
});

describe('Test_getHintsByZone', () => {
  const cases: { name: string; slice: Ep[]; allocations: Record<string, number>; allocated: Record<string, number>; expected: Record<string, number> | null }[] = [
    { name: 'empty', slice: [], allocations: {}, allocated: {}, expected: {} },
    { name: 'single zone hint', slice: [{ zone: 'zone-a', hints: hz('zone-a') }], allocations: { 'zone-a': 3 }, allocated: { 'zone-a': 1 }, expected: { 'zone-a': 1 } },
    {
      name: 'single zone hint with 1 unready endpoint and 1 unknown endpoint',
      slice: [{ zone: 'zone-a', hints: hz('zone-a') }, { zone: 'zone-a', hints: hz('zone-a'), ready: false }, { zone: 'zone-a', hints: hz('zone-a'), ready: false }],
      allocations: { 'zone-a': 3 }, allocated: { 'zone-a': 1 }, expected: { 'zone-a': 1 },
    },
    {
      name: 'multiple zone hints',
      slice: [{ zone: 'zone-a', hints: hz('zone-a') }, { zone: 'zone-a', hints: hz('zone-b') }, { zone: 'zone-b', hints: hz('zone-b') }],
      allocations: { 'zone-a': 3, 'zone-b': 3, 'zone-c': 3 }, allocated: { 'zone-a': 1, 'zone-b': 1, 'zone-c': 1 }, expected: { 'zone-a': 1, 'zone-b': 2 },
    },
    { name: 'invalid by zones that no longer requires any allocations', slice: [{ zone: 'zone-a', hints: hz('zone-non-existent') }], allocations: { 'zone-a': 3 }, allocated: { 'zone-a': 1, 'zone-b': 1, 'zone-c': 1 }, expected: null },
    { name: 'invalid by endpoints with nil hints', slice: [{ zone: 'zone-a' }], allocations: { 'zone-a': 3 }, allocated: {}, expected: null },
    { name: 'invalid by endpoint with no hints', slice: [{ zone: 'zone-a', hints: { forZones: [] } }], allocations: { 'zone-a': 3 }, allocated: {}, expected: null },
    { name: 'invalid by hints that would make minimum allocations impossible', slice: [{ zone: 'zone-a', hints: hz('zone-a') }, { zone: 'zone-a', hints: hz('zone-a') }], allocations: { 'zone-a': 2 }, allocated: { 'zone-a': 1 }, expected: null },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const allocations = alloc(Object.fromEntries(Object.entries(c.allocations).map(([z, maximum]) => [z, { maximum }])));
      const got = getHintsByZone(zoneHintCounts(c.slice.map(ep)), m(c.allocated), allocations);
      expect(got === null ? null : Object.fromEntries(got)).toEqual(c.expected);
    });
  }
});

describe('TestAddHints', () => {
  const r = (zone: string, ready = true): Ep => ({ zone, ready });
  const h = (zone: string, hint: string): Ep => ({ zone, hints: hz(hint) });
  const cases: {
    name: string;
    ratios?: Record<string, number>;
    create?: Ep[][];
    update?: Ep[][];
    wantCreate: Ep[][];
    wantUpdate: Ep[][];
    byZone?: Record<string, number>;
    events: { reason: string; message: string }[];
  }[] = [
    { name: 'empty', wantCreate: [], wantUpdate: [], events: [{ reason: 'TopologyAwareHintsDisabled', message: INSUFFICIENT_NODE_INFO }] },
    { name: 'slice to create, no zone ratios', create: [[r('zone-a')]], wantCreate: [[r('zone-a')]], wantUpdate: [], events: [{ reason: 'TopologyAwareHintsDisabled', message: INSUFFICIENT_NODE_INFO }] },
    {
      name: 'slice to create with 2 endpoints, zone ratios require 3',
      ratios: { 'zone-a': 0.3, 'zone-b': 0.4, 'zone-c': 0.3 },
      create: [[r('zone-a'), r('zone-b')]],
      wantCreate: [[r('zone-a'), r('zone-b')]],
      wantUpdate: [],
      events: [{ reason: 'TopologyAwareHintsDisabled', message: INSUFFICIENT_NUMBER_OF_ENDPOINTS }],
    },
    {
      name: 'slice to create with 2 endpoints, zone ratios only require 2',
      ratios: { 'zone-a': 0.45, 'zone-b': 0.55 },
      create: [[r('zone-a'), r('zone-b')]],
      wantCreate: [[h('zone-a', 'zone-a'), h('zone-b', 'zone-b')]],
      wantUpdate: [],
      byZone: { 'zone-a': 1, 'zone-b': 1 },
      events: [{ reason: 'TopologyAwareHintsEnabled', message: TOPOLOGY_AWARE_HINTS_ENABLED }],
    },
    {
      name: 'slice to create with 2 ready, 1 unready, 1 unknown endpoints, zone ratios only require 2',
      ratios: { 'zone-a': 0.45, 'zone-b': 0.55 },
      // SIM: "unknown" (Ready unset) is not ready for EndpointReady; the model's conditions are booleans.
      create: [[r('zone-a'), r('zone-b'), r('zone-b', false), r('zone-b', false)]],
      wantCreate: [[h('zone-a', 'zone-a'), h('zone-b', 'zone-b'), r('zone-b', false), r('zone-b', false)]],
      wantUpdate: [],
      byZone: { 'zone-a': 1, 'zone-b': 1 },
      events: [{ reason: 'TopologyAwareHintsEnabled', message: TOPOLOGY_AWARE_HINTS_ENABLED }],
    },
    {
      name: 'slices to create and update within 3 zone threshold',
      ratios: { 'zone-a': 0.35, 'zone-b': 0.35, 'zone-c': 0.3 },
      create: [[r('zone-a'), r('zone-b')], [r('zone-c'), r('zone-c'), r('zone-a')]],
      update: [[r('zone-a'), r('zone-a')], [r('zone-b'), r('zone-c'), r('zone-a')]],
      wantCreate: [[h('zone-a', 'zone-b'), h('zone-b', 'zone-b')], [h('zone-c', 'zone-c'), h('zone-c', 'zone-c'), h('zone-a', 'zone-a')]],
      wantUpdate: [[h('zone-a', 'zone-a'), h('zone-a', 'zone-a')], [h('zone-b', 'zone-b'), h('zone-c', 'zone-c'), h('zone-a', 'zone-a')]],
      byZone: { 'zone-a': 4, 'zone-b': 3, 'zone-c': 3 },
      events: [{ reason: 'TopologyAwareHintsEnabled', message: TOPOLOGY_AWARE_HINTS_ENABLED }],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const cache = new TopologyCache();
      cache.setCpuRatios(c.ratios ? m(c.ratios) : undefined);
      const got = cache.addHints({ serviceKey: 'ns/svc', addressType: 'IPv4', toCreate: (c.create ?? []).map((s) => slice(...s)), toUpdate: (c.update ?? []).map((s) => slice(...s)), unchanged: [] });
      expect(view(got.toCreate)).toEqual(want(...c.wantCreate));
      expect(view(got.toUpdate)).toEqual(want(...c.wantUpdate));
      // Upstream compares reason and a message prefix (the address type is appended).
      expect(got.events.map((e) => e.reason)).toEqual(c.events.map((e) => e.reason));
      got.events.forEach((e, i) => expect(e.message.startsWith(c.events[i].message)).toBe(true));
      const byZone = cache.hintsByZone('ns/svc', 'IPv4');
      expect(byZone ? Object.fromEntries(byZone) : undefined).toEqual(c.byZone);
    });
  }

  it('an unchanged slice whose hints no longer fit is rewritten; a second run emits no Enabled event', () => {
    const cache = new TopologyCache();
    cache.setCpuRatios(m({ 'zone-a': 0.5, 'zone-b': 0.5 }));
    const stale = slice(h('zone-a', 'zone-c'), h('zone-b', 'zone-b'));
    const fine = slice(h('zone-a', 'zone-a'), h('zone-b', 'zone-b'));
    const first = cache.addHints({ serviceKey: 'ns/svc', addressType: 'IPv4', toCreate: [], toUpdate: [], unchanged: [stale, fine] });
    expect(view(first.toUpdate)).toEqual(want([h('zone-a', 'zone-a'), h('zone-b', 'zone-b')]));
    expect(first.events.map((e) => e.reason)).toEqual(['TopologyAwareHintsEnabled']);
    const second = cache.addHints({ serviceKey: 'ns/svc', addressType: 'IPv4', toCreate: [], toUpdate: [], unchanged: [fine, first.toUpdate[0]] });
    expect(second.toUpdate).toEqual([]);
    expect(second.events).toEqual([]);
  });
});

describe('GetOverloadedServices (the node-change path)', () => {
  it('a service whose hinted zone falls under its minimum once the capacity changes is returned', () => {
    const cache = new TopologyCache();
    cache.setCpuRatios(m({ 'zone-a': 0.5, 'zone-b': 0.5 }));
    const hinted = cache.addHints({ serviceKey: 'ns/svc', addressType: 'IPv4', toCreate: [slice(...['zone-a', 'zone-a', 'zone-b', 'zone-b'].map((zone) => ({ zone })))], toUpdate: [], unchanged: [] });
    expect(hinted.events.map((e) => e.reason)).toEqual(['TopologyAwareHintsEnabled']);
    expect(cache.getOverloadedServices()).toEqual([]);
    // zone-a now has 90% of the CPU: its 2 hinted endpoints are under ceil(4 x 0.9 / 1.2) = 3.
    cache.setCpuRatios(m({ 'zone-a': 0.9, 'zone-b': 0.1 }));
    expect(cache.getOverloadedServices()).toEqual(['ns/svc']);
  });
});
