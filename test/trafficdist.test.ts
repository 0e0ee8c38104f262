// Table tests from k8s.io/endpointslice trafficdist/trafficdist_test.go (TestReconcileHints and
// TestReconcileHints_doesNotMutateUnchangedSlices), at commit daa4d01084ee; case names are upstream's.
import { describe, expect, it } from 'vitest';
import { reconcileHints } from '../src/controllers/endpointslice/trafficdist.js';
import { hz, slice, view, want, type Ep } from './topology-helpers.js';

const e = (zone: string | undefined, node: string, extra: Partial<Ep> = {}): Ep => ({ ...(zone ? { zone } : {}), node, ...extra });
const zoneHinted = (zone: string, node: string): Ep => e(zone, node, { hints: hz(zone) });
const bothHinted = (zone: string, node: string): Ep => e(zone, node, { hints: { forZones: [zone], forNodes: [node] } });
const nodeHinted = (node: string): Ep => e(undefined, node, { hints: { forNodes: [node] } });

const plainCreate = [[e('zone-a', 'node-1'), e('zone-b', 'node-2')], [e('zone-a', 'node-3'), e('zone-b', 'node-4')]];
const plainUpdate = [[e('zone-a', 'node-5'), e('zone-a', 'node-6')], [e('zone-b', 'node-7'), e('zone-c', 'node-8')]];
const hinted = (f: (z: string, n: string) => Ep) => (slices: Ep[][]) => slices.map((s) => s.map((x) => f(x.zone!, x.node!)));

interface Case {
  name: string;
  trafficDistribution?: string;
  create?: Ep[][];
  update?: Ep[][];
  unchanged?: Ep[][];
  wantCreate?: Ep[][];
  wantUpdate?: Ep[][];
  wantUnchanged?: Ep[][];
}

const noZones = (first: number) => [[e(undefined, `node-${first}`), e(undefined, `node-${first + 1}`)], [e(undefined, `node-${first + 2}`), e(undefined, `node-${first + 3}`)]];

const cases: Case[] = [
  { name: 'should set zone hints with PreferClose', trafficDistribution: 'PreferClose', create: plainCreate, update: plainUpdate, wantCreate: hinted(zoneHinted)(plainCreate), wantUpdate: hinted(zoneHinted)(plainUpdate) },
  { name: 'should set zone hints with PreferSameZone', trafficDistribution: 'PreferSameZone', create: plainCreate, update: plainUpdate, wantCreate: hinted(zoneHinted)(plainCreate), wantUpdate: hinted(zoneHinted)(plainUpdate) },
  { name: 'should set zone and node hints with PreferSameNode', trafficDistribution: 'PreferSameNode', create: plainCreate, update: plainUpdate, wantCreate: hinted(bothHinted)(plainCreate), wantUpdate: hinted(bothHinted)(plainUpdate) },
  {
    name: 'should correct incorrect hints with PreferClose',
    trafficDistribution: 'PreferClose',
    update: [[e('zone-a', 'node-1', { hints: hz('zone-b') })]],
    unchanged: [[e('zone-b', 'node-2', { hints: hz('zone-c') })], [e('zone-c', 'node-3')]],
    wantUpdate: [[zoneHinted('zone-a', 'node-1')], [zoneHinted('zone-b', 'node-2')], [zoneHinted('zone-c', 'node-3')]],
  },
  { name: 'should not create hints with PreferClose if there are no zones', trafficDistribution: 'PreferClose', create: noZones(1), update: noZones(5), wantCreate: noZones(1), wantUpdate: noZones(5) },
  {
    name: 'should create only node hints with PreferSameNode if there are no zones',
    trafficDistribution: 'PreferSameNode',
    create: noZones(1),
    update: noZones(5),
    wantCreate: noZones(1).map((s) => s.map((x) => nodeHinted(x.node!))),
    wantUpdate: noZones(5).map((s) => s.map((x) => nodeHinted(x.node!))),
  },
  { name: 'unready endpoints should not trigger updates', trafficDistribution: 'PreferClose', unchanged: [[e('zone-b', 'node-2', { ready: false })]], wantUnchanged: [[e('zone-b', 'node-2', { ready: false })]] },
  {
    name: 'should remove hints when trafficDistribution is unrecognized',
    trafficDistribution: 'Unknown',
    create: [[zoneHinted('zone-a', 'node-1'), zoneHinted('zone-b', 'node-2')], [zoneHinted('zone-a', 'node-3')]],
    update: [[zoneHinted('zone-a', 'node-5')]],
    wantCreate: [[e('zone-a', 'node-1'), e('zone-b', 'node-2')], [e('zone-a', 'node-3')]],
    wantUpdate: [[e('zone-a', 'node-5')]],
  },
  {
    name: 'should remove hints when trafficDistribution is unset',
    update: [[zoneHinted('zone-a', 'node-5')]],
    unchanged: [[zoneHinted('zone-b', 'node-6')]],
    wantUpdate: [[e('zone-a', 'node-5')], [e('zone-b', 'node-6')]],
  },
];

describe('TestReconcileHints', () => {
  for (const c of cases) {
    it(c.name, () => {
      const got = reconcileHints(c.trafficDistribution, (c.create ?? []).map((s) => slice(...s)), (c.update ?? []).map((s) => slice(...s)), (c.unchanged ?? []).map((s) => slice(...s)));
      expect(view(got.toCreate)).toEqual(want(...(c.wantCreate ?? [])));
      expect(view(got.toUpdate)).toEqual(want(...(c.wantUpdate ?? [])));
      expect(view(got.unchanged)).toEqual(want(...(c.wantUnchanged ?? [])));
    });
  }
});

describe('TestReconcileHints_doesNotMutateUnchangedSlices', () => {
  it('leaves the objects of unchanged slices as they were', () => {
    const original = slice(e('zone-a', 'node-1'));
    const before = view([original]);
    const got = reconcileHints('PreferClose', [], [], [original]);
    expect(view([original])).toEqual(before);
    expect(got.toUpdate[0]).not.toBe(original);
  });
});
