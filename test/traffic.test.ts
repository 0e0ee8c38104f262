// The traffic model's aggregate evaluation (src/agents/traffic.ts) against the per-node filter
// (src/agents/topology.ts) applied node by node, for random small clusters; and kube-proxy's filter
// rules from pkg/proxy/topology.go as named cases.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { clusterEndpoints, endpointsForTraffic, filterTopologyEndpoint, localEndpoints, topologyModeFromHints, type ProxyEndpoint, type ProxyGates, type ProxyService } from '../src/agents/topology.js';
import { evaluateTraffic, ServiceEndpoints, type Clients } from '../src/agents/traffic.js';

const ZONES = ['zone-a', 'zone-b', 'zone-c'];
const all: ProxyGates = { zoneHints: true, nodeHints: true, serviceTopology: true };
const ep = (node: string, zone: string, o: Partial<ProxyEndpoint> = {}): ProxyEndpoint => ({ nodeName: node, zone, ready: true, serving: true, terminating: false, ...o });

describe('kube-proxy topology filter (pkg/proxy/topology.go)', () => {
  const node = { name: 'n1', zone: 'zone-a' };
  it('zone hints are used when every ready endpoint has one and one names this zone', () => {
    const eps = [ep('n1', 'zone-a', { forZones: ['zone-a'] }), ep('n2', 'zone-b', { forZones: ['zone-b'] }), ep('n3', 'zone-b', { ready: false, serving: false })];
    expect(topologyModeFromHints(eps, node, all)).toBe('PreferSameZone');
    expect(clusterEndpoints(eps, node, all)).toEqual([eps[0]]);
  });
  it('one ready endpoint without a hint turns topology off for every node', () => {
    const eps = [ep('n1', 'zone-a', { forZones: ['zone-a'] }), ep('n2', 'zone-b')];
    expect(topologyModeFromHints(eps, node, all)).toBe('');
    expect(clusterEndpoints(eps, node, all)).toEqual(eps);
  });
  it('no endpoint hinted for this zone: all endpoints', () => {
    const eps = [ep('n2', 'zone-b', { forZones: ['zone-b'] })];
    expect(clusterEndpoints(eps, node, all)).toEqual(eps);
  });
  it('node hints win when every ready endpoint has one and one names this node (gate on)', () => {
    const eps = [ep('n1', 'zone-a', { forZones: ['zone-a'], forNodes: ['n1'] }), ep('n4', 'zone-a', { forZones: ['zone-a'], forNodes: ['n4'] })];
    expect(topologyModeFromHints(eps, node, all)).toBe('PreferSameNode');
    expect(clusterEndpoints(eps, node, all)).toEqual([eps[0]]);
    expect(topologyModeFromHints(eps, node, { ...all, nodeHints: false })).toBe('PreferSameZone');
    expect(topologyModeFromHints(eps, { name: 'n9', zone: 'zone-a' }, all)).toBe('PreferSameZone');
  });
  it('no ready endpoint: serving terminating endpoints are the fallback', () => {
    const eps = [ep('n2', 'zone-b', { ready: false, serving: true, terminating: true }), ep('n3', 'zone-b', { ready: false, serving: false, terminating: true })];
    expect(clusterEndpoints(eps, node, all)).toEqual([eps[0]]);
  });
  it('internalTrafficPolicy Local: local ready endpoints, else local serving terminating ones, else none', () => {
    expect(localEndpoints([ep('n1', 'zone-a'), ep('n2', 'zone-a')], node)).toHaveLength(1);
    expect(localEndpoints([ep('n1', 'zone-a', { ready: false, terminating: true })], node)).toHaveLength(1);
    expect(localEndpoints([ep('n2', 'zone-a')], node)).toEqual([]);
  });
  it('topologyKeys: the first key with matching endpoints; hostname alone drops traffic from nodes without a local endpoint', () => {
    const eps = [ep('n2', 'zone-a'), ep('n3', 'zone-b')];
    expect(filterTopologyEndpoint(eps, ['kubernetes.io/hostname'], node)).toEqual([]);
    expect(filterTopologyEndpoint(eps, ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'], node)).toEqual([eps[0]]);
    expect(filterTopologyEndpoint(eps, ['kubernetes.io/hostname', '*'], node)).toEqual(eps);
    expect(filterTopologyEndpoint([ep('n1', 'zone-a'), ...eps], ['kubernetes.io/hostname', '*'], node)).toHaveLength(1);
    expect(endpointsForTraffic(eps, { internalTrafficPolicy: 'Cluster', topologyKeys: ['kubernetes.io/hostname'] }, node, { ...all, serviceTopology: false })).toEqual(eps);
  });
});

describe('traffic model = the per-node filter applied node by node', () => {
  const nodeArb = fc.integer({ min: 3, max: 12 });
  const endpointArb = (nodes: number) =>
    fc.record({
      node: fc.nat(nodes - 1),
      state: fc.constantFrom('ready', 'ready', 'ready', 'st', 'notready'),
      zoneHint: fc.option(fc.constantFrom(...ZONES), { nil: undefined }),
      nodeHint: fc.option(fc.nat(nodes - 1), { nil: undefined }),
    });
  const scenario = nodeArb.chain((n) =>
    fc.record({
      nodes: fc.constant(n),
      down: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      weights: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n }),
      endpoints: fc.array(endpointArb(n), { maxLength: 10 }),
      allZoneHints: fc.boolean(),
      allNodeHints: fc.boolean(),
      svc: fc.constantFrom<ProxyService>(
        { internalTrafficPolicy: 'Cluster' },
        { internalTrafficPolicy: 'Local' },
        { internalTrafficPolicy: 'Cluster', topologyKeys: ['kubernetes.io/hostname'] },
        { internalTrafficPolicy: 'Cluster', topologyKeys: ['kubernetes.io/hostname', 'topology.kubernetes.io/zone', '*'] },
        { internalTrafficPolicy: 'Cluster', topologyKeys: ['topology.kubernetes.io/zone'] },
      ),
      gates: fc.record({ zoneHints: fc.boolean(), nodeHints: fc.boolean(), serviceTopology: fc.boolean() }),
    }),
  );

  it('sent, dropped, cross-zone and the busiest endpoint agree', () => {
    fc.assert(
      fc.property(scenario, (c) => {
        const nodes = Array.from({ length: c.nodes }, (_, i) => ({ name: `n${i}`, zone: ZONES[i % 3], rate: c.down[i] ? 0 : c.weights[i] }));
        const eps: ProxyEndpoint[] = c.endpoints.map((e) => ({
          nodeName: `n${e.node}`,
          zone: ZONES[e.node % 3],
          ready: e.state === 'ready',
          serving: e.state !== 'notready',
          terminating: e.state === 'st',
          // Hints everywhere (as the controller writes them) or as drawn.
          forZones: c.allZoneHints ? [e.zoneHint ?? ZONES[e.node % 3]] : e.zoneHint ? [e.zoneHint] : undefined,
          forNodes: c.allNodeHints ? [`n${e.nodeHint ?? e.node}`] : e.nodeHint !== undefined ? [`n${e.nodeHint}`] : undefined,
        }));
        const s = new ServiceEndpoints();
        eps.forEach((e, i) => s.set(`src-${i % 3}-${i}`, [e]));
        const clients: Clients = {
          zones: ZONES,
          zoneRate: (z) => nodes.filter((n) => n.zone === z).reduce((a, n) => a + n.rate, 0),
          zoneNodes: (z) => nodes.filter((n) => n.zone === z && n.rate > 0).length,
          node: (name) => nodes.find((n) => n.name === name),
        };
        const got = evaluateTraffic(s, c.svc, c.gates, clients);

        // Brute force: every node, its own set, each endpoint's load.
        let sent = 0, dropped = 0, cross = 0;
        const load = new Map<ProxyEndpoint, number>();
        for (const n of nodes) {
          if (n.rate <= 0) continue;
          sent += n.rate;
          const set = endpointsForTraffic(eps, c.svc, n, c.gates);
          if (set.length === 0) {
            dropped += n.rate;
            continue;
          }
          cross += (n.rate * set.filter((e) => e.zone !== n.zone).length) / set.length;
          for (const e of set) load.set(e, (load.get(e) ?? 0) + n.rate / set.length);
        }
        const usable = eps.filter((e) => e.ready).length || eps.filter((e) => e.serving && e.terminating).length;
        const max = Math.max(0, ...load.values());
        const ratio = usable > 0 && sent - dropped > 0 ? max / ((sent - dropped) / usable) : 0;
        expect(got.sent).toBeCloseTo(sent, 9);
        expect(got.dropped).toBeCloseTo(dropped, 9);
        expect(got.crossZone).toBeCloseTo(cross, 9);
        expect(got.maxLoadRatio).toBeCloseTo(ratio, 9);
      }),
      { numRuns: 500 },
    );
  });
});
