// The upstream controller tests in ../shared/reference/peer-cases.json (and more from
// reconciler_test.go and endpoints_controller_test.go), as tables run through reconcileList: the code
// path of `slicesim reconcile`.
import { describe, expect, it } from 'vitest';
import { reconcileList, type ReconcileOptions } from '../src/k8s/reconcile.js';
import type { Obj } from '../src/k8s/read.js';
import { applyWrites, endpointCounts, list, node, pod, pods, service } from './k8s-fixtures.js';

const slices = (items: Obj[], o: Partial<ReconcileOptions> = {}) =>
  reconcileList('test.json', items, { controller: 'endpointslice', maxEndpointsPerSlice: 100, maxEndpoints: 1000, ...o });
const endpoints = (items: Obj[], o: Partial<ReconcileOptions> = {}) =>
  reconcileList('test.json', items, { controller: 'endpoints', maxEndpointsPerSlice: 100, maxEndpoints: 1000, ...o });
const counts = (r: { create: unknown[]; update: unknown[]; delete: unknown[] }) => [r.create.length, r.update.length, r.delete.length];

/** Slices stored after one sync over `items` (what a second sync finds). */
const synced = (items: Obj[], o: Partial<ReconcileOptions> = {}) => applyWrites([], slices(items, o));

describe('EndpointSlice reconciler (peer-cases.json)', () => {
  it('es-empty: a selector with no pods gets one placeholder slice', () => {
    const r = slices(list(service()));
    expect(counts(r)).toEqual([1, 0, 0]);
    const s = r.create[0] as Obj;
    expect(s).toMatchObject({ endpoints: [], ports: [], metadata: { generateName: 'foo-', labels: { 'kubernetes.io/service-name': 'foo' } } });
    expect((s.metadata as Obj).name).toBeUndefined();
  });

  it('es-dualstack-1pod: one slice per family, IPv6 re-stringified', () => {
    const r = slices(list(service({ ipFamilies: ['IPv4', 'IPv6'] }), pod(1, { ips: ['1.2.3.4', '1234::5678:0000:0000:9abc:def0'] }), node('node-1', 'us-central1-a')));
    expect(counts(r)).toEqual([2, 0, 0]);
    expect(r.create.map((s) => [s.addressType, (s.endpoints as Obj[])[0].addresses])).toEqual([
      ['IPv4', ['1.2.3.4']],
      ['IPv6', ['1234::5678:0:0:9abc:def0']],
    ]);
    expect((r.create[1].endpoints as Obj[])[0]).toMatchObject({ conditions: { ready: true, serving: true, terminating: false }, zone: 'us-central1-a', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'test', name: 'pod1' } });
    expect((r.create[0].metadata as Obj).labels).toEqual({ 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io', 'kubernetes.io/service-name': 'foo' });
  });

  it('es-publish-not-ready: every endpoint ready', () => {
    const r = slices(list(service({ publishNotReadyAddresses: true }), pods(50)));
    expect(counts(r)).toEqual([1, 0, 0]);
    expect(endpointCounts(r.create)).toEqual([50]);
    expect((r.create[0].endpoints as Obj[]).every((e) => (e.conditions as Obj).ready === true)).toBe(true);
  });

  it('es-many-pods: 250 pods fill new slices to capacity', () => {
    const r = slices(list(service(), pods(250)));
    expect(counts(r)).toEqual([3, 0, 0]);
    expect(endpointCounts(r.create)).toEqual([100, 100, 50]);
  });

  it('es-port-change-updates: a targetPort change rewrites every slice by update', () => {
    const before = synced(list(service(), pods(250)));
    const r = slices(list(service({ ports: [{ name: '', port: 80, protocol: 'TCP', targetPort: 81 }] }), pods(250), before));
    expect(counts(r)).toEqual([0, 3, 0]);
    expect(endpointCounts(r.update)).toEqual([100, 100, 50]);
    expect(r.update.every((s) => (s.ports as Obj[])[0].port === 81)).toBe(true);
  });

  it('es-service-labels: a new Service label reaches every slice by update', () => {
    const before = synced(list(service(), pods(250)));
    const r = slices(list(service({}, { labels: { foo: 'bar' } }), pods(250), before));
    expect(counts(r)).toEqual([0, 3, 0]);
    expect(r.update.every((s) => ((s.metadata as Obj).labels as Obj).foo === 'bar')).toBe(true);
  });

  it('es-reserved-labels: reserved Service labels are ignored, no writes', () => {
    const before = synced(list(service(), pods(250)));
    const labels = { 'kubernetes.io/service-name': 'bad', 'endpointslice.kubernetes.io/managed-by': 'actor', 'service.kubernetes.io/headless': 'invalid' };
    expect(counts(slices(list(service({}, { labels }), pods(250), before)))).toEqual([0, 0, 0]);
  });

  it('es-named-ports: a named targetPort resolving to 5 container ports gives 5 slices', () => {
    const named = pods(300, (i) => ({ ready: i % 3 !== 0, containerPorts: [{ name: 'http', containerPort: 8080 + (i % 5), protocol: 'TCP' }] }));
    const r = slices(list(service({ ports: [{ name: '', port: 80, protocol: 'TCP', targetPort: 'http' }] }), named));
    expect(counts(r)).toEqual([5, 0, 0]);
    expect(endpointCounts(r.create)).toEqual([60, 60, 60, 60, 60]);
    expect(r.create.map((s) => s.ports)).toEqual([8080, 8081, 8082, 8083, 8084].map((port) => [{ name: '', protocol: 'TCP', port }]));
  });

  it.each([
    [50, [50, 50, 50, 50, 50]],
    [80, [80, 80, 80, 10]],
    [150, [150, 100]],
    [250, [250]],
    [500, [250]],
  ])('es-max-endpoints-per-slice: %i per slice -> %j', (max, lengths) => {
    const r = slices(list(service(), pods(250)), { maxEndpointsPerSlice: max });
    expect(endpointCounts(r.create)).toEqual(lengths);
  });

  it('es-shrink: 20 pods then 10: the one slice is updated', () => {
    const before = synced(list(service(), pods(20, () => ({}))));
    expect(before).toHaveLength(1);
    const r = slices(list(service(), pods(10, () => ({})), before));
    expect(counts(r)).toEqual([0, 1, 0]);
    expect(endpointCounts(r.update)).toEqual([10]);
  });

  it.each([
    // ready pod, terminating, publishNotReadyAddresses -> ready, serving, terminating
    [true, false, false, true, true, false],
    [false, false, false, false, false, false],
    [true, true, false, false, true, true],
    [false, true, false, false, false, true],
    [false, false, true, true, false, false],
    [true, true, true, true, true, true],
  ])('es-pod-to-endpoint-conditions: Ready=%s terminating=%s publishNotReady=%s -> %s/%s/%s', (ready, terminating, pnra, eReady, eServing, eTerminating) => {
    const r = slices(list(service({ publishNotReadyAddresses: pnra }), pod(1, { ready, terminating })));
    expect((r.create[0].endpoints as Obj[])[0].conditions).toEqual({ ready: eReady, serving: eServing, terminating: eTerminating });
  });
});

describe('EndpointSlice reconciler (more upstream cases)', () => {
  it('recycles: replacing every pod turns creates into updates of the old slices', () => {
    const before = synced(list(service(), pods(200, () => ({}))));
    const fresh = Array.from({ length: 200 }, (_, i) => pod(1000 + i));
    const r = slices(list(service(), fresh, before));
    expect(counts(r)).toEqual([0, 2, 0]);
  });

  it('keeps an identical placeholder instead of re-creating it', () => {
    const before = synced(list(service()));
    expect(counts(slices(list(service(), before)))).toEqual([0, 0, 0]);
  });

  it('first pods fill the placeholder by update', () => {
    const before = synced(list(service()));
    const r = slices(list(service(), pods(3, () => ({})), before));
    expect(counts(r)).toEqual([0, 1, 0]);
  });

  it('all pods gone: N slices become one placeholder update and N-1 deletes', () => {
    const before = synced(list(service(), pods(250)));
    const r = slices(list(service(), before));
    expect(counts(r)).toEqual([0, 1, 2]);
    expect(r.update[0]).toMatchObject({ endpoints: [], ports: [] });
  });

  it('new endpoints go to the unchanged slice that ends closest to full, or a new slice', () => {
    // Slices of 100, 100, 50 (250 pods); 40 more fit in the 50-slice; 60 more do not (closest fit is
    // the 50-slice only if count+50 <= 100).
    const before = synced(list(service(), pods(250)));
    const more40 = slices(list(service(), pods(290), before));
    expect(counts(more40)).toEqual([0, 1, 0]);
    expect(endpointCounts(more40.update)).toEqual([90]);
    const more60 = slices(list(service(), pods(310), before));
    expect(counts(more60)).toEqual([1, 0, 0]);
  });

  it('deletes slices owned by something else', () => {
    const before = synced(list(service(), pods(5)));
    const foreign = before.map((s) => ({ ...s, metadata: { ...(s.metadata as Obj), ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'foo', uid: 'other', controller: true }] } }));
    const r = slices(list(service(), pods(5), foreign));
    // finalize recycles creates only into slices this Service owns: one create, one delete.
    expect(counts(r)).toEqual([1, 0, 1]);
  });
});

describe('Endpoints controller (peer-cases.json)', () => {
  const twoPorts = { clusterIP: '', ports: [{ name: 'port0', port: 80, protocol: 'TCP', targetPort: 8080 }, { name: 'port1', port: 88, protocol: 'TCP', targetPort: 8088 }] };

  it('ep-items-create: 3 ready pods, 2 ports, other namespaces ignored: one POST, one subset', () => {
    const r = endpoints(list(service(twoPorts, { namespace: 'other' }), pods(3, () => ({ namespace: 'other' })), pods(5, () => ({ namespace: 'blah' }))));
    expect(counts(r)).toEqual([1, 0, 0]);
    const ep = r.create[0];
    expect((ep.subsets as Obj[]).map((s) => ({ addresses: (s.addresses as Obj[]).map((a) => a.ip), ports: s.ports }))).toEqual([
      { addresses: ['1.2.3.4', '1.2.3.5', '1.2.3.6'], ports: [{ name: 'port0', port: 8080, protocol: 'TCP' }, { name: 'port1', port: 8088, protocol: 'TCP' }] },
    ]);
    expect((ep.metadata as Obj).labels).toMatchObject({ 'service.kubernetes.io/headless': '' });
  });

  const existing = (subsets: Obj[], meta: Obj = {}): Obj => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'foo', namespace: 'test', resourceVersion: '1', ...meta }, subsets });
  const svc8080 = service({ ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }] });

  it('ep-mixed-readiness: ready in addresses, not ready in notReadyAddresses, one PUT', () => {
    const r = endpoints(list(svc8080, pod(0, { ready: true }), pod(1, { ready: false }), existing([])));
    expect(counts(r)).toEqual([0, 1, 0]);
    const [subset] = r.update[0].subsets as Obj[];
    expect((subset.addresses as Obj[]).map((a) => a.ip)).toEqual(['1.2.3.4']);
    expect((subset.notReadyAddresses as Obj[]).map((a) => a.ip)).toEqual(['1.2.3.5']);
    expect(subset.ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
  });

  it('ep-no-op: stored subsets equal to desired (ignoring targetRef.resourceVersion): no write', () => {
    const first = endpoints(list(svc8080, pods(3, () => ({})))).create[0];
    const stored = { ...first, metadata: { ...(first.metadata as Obj), resourceVersion: '7' } };
    (stored.subsets as Obj[]).forEach((s) => (s.addresses as Obj[]).forEach((a) => ((a.targetRef as Obj).resourceVersion = '42')));
    expect(counts(endpoints(list(svc8080, pods(3, () => ({})), stored)))).toEqual([0, 0, 0]);
    // A pod change does write.
    expect(counts(endpoints(list(svc8080, pods(3, (i) => ({ ready: i !== 1 })), stored)))).toEqual([0, 1, 0]);
  });

  it('ep-service-deleted: the Endpoints of a Service that is gone is deleted', () => {
    expect(counts(endpoints(list(existing([]))))).toEqual([0, 0, 1]);
  });

  it.each(['Failed', 'Succeeded'])('ep-terminal-pods: a %s pod is left out; the label change still writes', (phase) => {
    const r = endpoints(list(service({ clusterIP: '' }), pod(0, { ready: false, phase }), existing([], { labels: { foo: 'bar' } })));
    expect(counts(r)).toEqual([0, 1, 0]);
    expect(r.update[0].subsets).toBeUndefined();
    expect((r.update[0].metadata as Obj).labels).toMatchObject({ 'service.kubernetes.io/headless': '' });
    expect(((r.update[0].metadata as Obj).labels as Obj).foo).toBeUndefined();
  });

  // TestSyncServiceAddresses: phase, Ready, terminating, publishNotReadyAddresses -> ready / not ready addresses.
  it.each([
    ['Running', true, false, false, 1, 0],
    ['Running', true, true, false, 0, 0],
    ['Unknown', true, false, false, 1, 0],
    ['Unknown', true, true, false, 0, 0],
    ['Pending', true, false, false, 1, 0],
    ['Pending', true, true, false, 0, 0],
    ['Unknown', false, false, false, 0, 1],
    ['Pending', false, false, false, 0, 1],
    ['Failed', false, false, false, 0, 0],
    ['Succeeded', false, false, false, 0, 0],
    ['Running', false, false, true, 1, 0],
    ['Running', false, true, true, 1, 0],
    ['Unknown', false, false, true, 1, 0],
    ['Unknown', false, true, true, 1, 0],
    ['Pending', false, false, true, 1, 0],
    ['Pending', false, true, true, 1, 0],
    ['Failed', false, false, true, 0, 0],
    ['Succeeded', false, false, true, 0, 0],
  ])('ep-address-classification: phase %s, Ready=%s, terminating=%s, publishNotReady=%s -> %i ready, %i not ready', (phase, ready, terminating, pnra, eReady, eNotReady) => {
    const svc = service({ clusterIP: '1.1.1.1', publishNotReadyAddresses: pnra, ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }] });
    const r = endpoints(list(svc, pod(0, { phase, ready, terminating })));
    const subsets = (r.create[0].subsets ?? []) as Obj[];
    expect(subsets.reduce((n, s) => n + ((s.addresses as unknown[])?.length ?? 0), 0)).toBe(eReady);
    expect(subsets.reduce((n, s) => n + ((s.notReadyAddresses as unknown[])?.length ?? 0), 0)).toBe(eNotReady);
  });

  it('over capacity: truncated to maxEndpoints with the annotation, and rewritten on every sync', () => {
    const r = endpoints(list(svc8080, pods(1200, () => ({}))));
    const ep = r.create[0];
    expect(((ep.subsets as Obj[])[0].addresses as unknown[]).length).toBe(1000);
    expect((ep.metadata as Obj).annotations).toMatchObject({ 'endpoints.kubernetes.io/over-capacity': 'truncated' });
    const stored = { ...ep, metadata: { ...(ep.metadata as Obj), resourceVersion: '2' } };
    expect(counts(endpoints(list(svc8080, pods(1200, () => ({})), stored)))).toEqual([0, 1, 0]);
    // Uncapped (before 1.22): all 1200 written, no annotation.
    const uncapped = endpoints(list(svc8080, pods(1200, () => ({}))), { maxEndpoints: 0 }).create[0];
    expect(((uncapped.subsets as Obj[])[0].addresses as unknown[]).length).toBe(1200);
  });
});

describe('EndpointSlice reconciler (reconciler_test.go, more cases)', () => {
  /** A slice as the controller would have written it for these pods (upstream's newEmptyEndpointSlice + podToEndpoint). */
  const slice = (n: number, podObjs: Obj[], addressType = 'IPv4'): Obj => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `foo-${n}`,
      namespace: 'test',
      resourceVersion: '1',
      labels: { 'kubernetes.io/service-name': 'foo', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'foo', uid: 'uid-svc-foo', controller: true, blockOwnerDeletion: true }],
    },
    addressType,
    endpoints: podObjs.map((p) => {
      const m = p.metadata as Obj;
      const ready = ((p.status as Obj).conditions as Obj[])[0].status === 'True';
      return { addresses: [(p.status as Obj).podIP], conditions: { ready, serving: ready, terminating: false }, nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'test', name: m.name, uid: m.uid } };
    }),
    ports: [{ name: '', protocol: 'TCP', port: 80 }],
  });
  const every = (all: Obj[], from: number, step: number, below: number) => all.filter((_, i) => i >= from && (i - from) % step === 0 && i < below);

  it('TestReconcileEndpointSlicesSomePreexisting: one create, then the unchanged slice closest to full is updated', () => {
    const all = pods(250);
    const r = slices(list(service(), all, slice(1, every(all, 1, 4, 246)), slice(2, every(all, 3, 4, 246))));
    expect(counts(r)).toEqual([1, 1, 0]);
    expect(endpointCounts(r.create)).toEqual([100]);
    expect(endpointCounts(r.update)).toEqual([89]);
    expect((r.update[0].metadata as Obj).name).toBe('foo-1');
  });

  it('TestReconcileEndpointSlicesSomePreexistingWorseAllocation: two creates rather than two updates and a create', () => {
    const all = pods(300);
    const r = slices(list(service(), all, slice(1, every(all, 1, 4, 296)), slice(2, every(all, 3, 4, 296))));
    expect(counts(r)).toEqual([2, 0, 0]);
    expect(endpointCounts(r.create)).toEqual([100, 52]);
  });

  it('TestReconcileEndpointSlicesRecycling: no-op on 10 slices of 30; a port change repacks into 3 updates and 7 deletes', () => {
    const all = pods(300);
    const existing = Array.from({ length: 10 }, (_, n) => slice(n, all.slice(n * 30, n * 30 + 30)));
    expect(counts(slices(list(service(), all, existing)))).toEqual([0, 0, 0]);
    const r = slices(list(service({ ports: [{ name: '', port: 80, protocol: 'TCP', targetPort: 81 }] }), all, existing));
    expect(counts(r)).toEqual([0, 3, 7]);
    expect(endpointCounts(r.update)).toEqual([100, 100, 100]);
  });

  it('TestReconcileEndpointSlicesUpdatePacking: new endpoints go to the fullest slice already being updated', () => {
    const first = Array.from({ length: 80 }, (_, i) => pod(i));
    const second = Array.from({ length: 20 }, (_, i) => pod(100 + i));
    const existing = [slice(1, first), slice(2, second)];
    const changed = [...first, ...second].map((p, i) => (i % 10 === 0 ? pod(Number(String((p.metadata as Obj).name).slice(3)), { ready: false }) : p));
    const added = Array.from({ length: 15 }, (_, i) => pod(200 + i));
    const r = slices(list(service(), changed, added, existing));
    expect(counts(r)).toEqual([0, 2, 0]);
    expect(endpointCounts(r.update)).toEqual([95, 20]);
  });

  it('TestReconcileEndpointSlicesReplaceDeprecated: slices of address type IP are replaced by IPv4 ones, perfectly packed', () => {
    const first = Array.from({ length: 80 }, (_, i) => pod(i));
    const second = Array.from({ length: 50 }, (_, i) => pod(100 + i));
    const r = slices(list(service(), first, second, slice(1, first, 'IP'), slice(2, second, 'IP')));
    expect(counts(r)).toEqual([2, 0, 2]);
    expect(endpointCounts(r.create)).toEqual([100, 30]);
    expect(r.create.every((s) => s.addressType === 'IPv4')).toBe(true);
  });

  it('TestReconcileEndpointSlicesRecreation: a slice owned by the Service is kept as it is', () => {
    const p = pod(1);
    expect(counts(slices(list(service(), p, slice(1, [p]))))).toEqual([0, 0, 0]);
  });
});

describe('TestReconcilerPodMissingNode', () => {
  const p0 = pod(0, { node: 'node-0' });
  const p1 = pod(1, { node: 'node-1' });
  it.each([
    [false, [1]],
    [true, [2]],
  ])('a pod whose node is missing is left out unless publishNotReadyAddresses (%s)', (pnra, lengths) => {
    const r = slices(list(service({ publishNotReadyAddresses: pnra }), p0, p1, node('node-0')));
    expect(counts(r)).toEqual([1, 0, 0]);
    expect(endpointCounts(r.create)).toEqual(lengths);
  });

  it('an existing slice loses the endpoint of the missing node (publishNotReadyAddresses false) or keeps it (true)', () => {
    const before = synced(list(service(), p0, p1, node('node-0'), node('node-1')));
    const r = slices(list(service(), p0, p1, node('node-0'), before));
    expect(counts(r)).toEqual([0, 1, 0]);
    expect(endpointCounts(r.update)).toEqual([1]);
    const kept = synced(list(service({ publishNotReadyAddresses: true }), p0, p1, node('node-0'), node('node-1')));
    expect(counts(slices(list(service({ publishNotReadyAddresses: true }), p0, p1, node('node-0'), kept)))).toEqual([0, 0, 0]);
  });
});
