// The upstream rules of issue 9, each as a table named after the upstream function or test, run through
// reconcileList (the code path of `slicesim reconcile`, which the simulation's controllers share):
// reconciler.go, utils.go, util/controller_utils.go, util/trigger_time_tracker.go (k8s.io/endpointslice),
// pkg/controller/endpoint/endpoints_controller.go, pkg/api/v1/endpoints/util.go,
// pkg/controller/controller_utils.go.
import { describe, expect, it } from 'vitest';
import { reconcileList, type ReconcileOptions } from '../src/k8s/reconcile.js';
import type { Obj } from '../src/k8s/read.js';
import { reconcileOptions } from '../src/cli/reconcile.js';
import { TriggerTimeTracker } from '../src/controllers/trigger-time.js';
import { podEndpointsChanged } from '../src/controllers/runtime.js';
import { lessActivePod } from '../src/workload/deployment.js';
import { micros } from '../src/engine/time.js';
import type { Pod } from '../src/model/cluster.js';
import { applyWrites, list, node, pod, pods, service } from './k8s-fixtures.js';

const slices = (items: Obj[], o: Partial<ReconcileOptions> = {}) => reconcileList('test.json', items, { ...reconcileOptions({ controller: 'endpointslice' }), ...o });
const endpoints = (items: Obj[], o: Partial<ReconcileOptions> = {}) => reconcileList('test.json', items, { ...reconcileOptions({ controller: 'endpoints' }), ...o });
const counts = (r: { create: unknown[]; update: unknown[]; delete: unknown[] }) => [r.create.length, r.update.length, r.delete.length];
const meta = (o: Obj) => o.metadata as Obj;
const synced = (items: Obj[]) => applyWrites([], slices(items));
const OWNER = { apiVersion: 'v1', kind: 'Service', name: 'foo', uid: 'uid-svc-foo', controller: true, blockOwnerDeletion: true };
const LABELS = { 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io', 'kubernetes.io/service-name': 'foo' };

function slice(name: string, o: { labels?: Obj; owners?: Obj[]; ports?: Obj[]; endpoints?: Obj[]; namespace?: string; annotations?: Obj } = {}): Obj {
  return {
    kind: 'EndpointSlice',
    apiVersion: 'discovery.k8s.io/v1',
    metadata: { name, namespace: o.namespace ?? 'test', resourceVersion: '1', labels: o.labels ?? LABELS, ownerReferences: o.owners ?? [OWNER], ...(o.annotations ? { annotations: o.annotations } : {}) },
    addressType: 'IPv4',
    endpoints: o.endpoints ?? [],
    ports: o.ports ?? [],
  };
}

const endpoint = (i: number, e: Obj = {}): Obj => ({
  addresses: [`1.2.3.${4 + i}`],
  conditions: { ready: true, serving: true, terminating: false },
  targetRef: { kind: 'Pod', namespace: 'test', name: `pod${i}`, uid: `uid-pod${i}` },
  nodeName: 'node-1',
  ...e,
});
const PORT80 = [{ name: '', protocol: 'TCP', port: 80 }];

describe('placeholderSliceCompare (TestPlaceholderSliceCompare)', () => {
  it.each([
    ['identical', {}, 0],
    ['owner reference written with its keys in another order', { owners: [{ uid: 'uid-svc-foo', kind: 'Service', blockOwnerDeletion: true, controller: true, name: 'foo', apiVersion: 'v1' }] }, 0],
    ['other metadata (annotations, resourceVersion) ignored', { annotations: { a: 'b' } }, 0],
    ['an extra label with an empty value reads as absent', { labels: { ...LABELS, extra: '' } }, 0],
    ['an extra label with a value', { labels: { ...LABELS, extra: 'x' } }, 1],
    ['owner reference controller unset (nil is not true)', { owners: [{ ...OWNER, controller: undefined }] }, 1],
    ['owner reference of another uid', { owners: [{ ...OWNER, uid: 'other' }] }, 1],
    ['a second owner reference', { owners: [OWNER, { ...OWNER, name: 'x', uid: 'x' }] }, 1],
  ])('%s', (_, o, updates) => {
    // A Service with no pods: the one existing slice is kept when it equals the placeholder, else replaced by an update.
    const r = slices(list(service(), slice('foo-abc', o as Obj)));
    const ownedElsewhere = (o as { owners?: Obj[] }).owners?.every((x) => x.uid !== 'uid-svc-foo');
    expect(counts(r)).toEqual(ownedElsewhere ? [1, 0, 1] : [0, updates, 0]);
  });
});

describe('EndpointsEqualBeyondHash', () => {
  it.each([
    ['all equal', {}, 0],
    ['targetRef.resourceVersion differs only', { targetRef: { kind: 'Pod', namespace: 'test', name: 'pod1', uid: 'uid-pod1', resourceVersion: '77' } }, 0],
    ['targetRef keys in another order', { targetRef: { uid: 'uid-pod1', name: 'pod1', namespace: 'test', kind: 'Pod' } }, 0],
    ['serving unset (nil differs from true)', { conditions: { ready: true, terminating: false } }, 1],
    ['terminating unset (nil differs from false)', { conditions: { ready: true, serving: true } }, 1],
    ['targetRef uid differs', { targetRef: { kind: 'Pod', namespace: 'test', name: 'pod1', uid: 'other' } }, 1],
    ['targetRef fieldPath set', { targetRef: { kind: 'Pod', namespace: 'test', name: 'pod1', uid: 'uid-pod1', fieldPath: 'spec' } }, 1],
    ['nodeName unset', { nodeName: undefined }, 1],
    ['zone set where the node has none', { zone: 'a' }, 1],
  ])('%s', (_, e, updates) => {
    const r = slices(list(service(), pod(1), slice('foo-abc', { ports: PORT80, endpoints: [endpoint(1, e)] })));
    expect(counts(r)).toEqual([0, updates, 0]);
  });
});

describe('setEndpointSliceLabels / isReservedLabelKey', () => {
  const stored = (labels: Obj) => slice('foo-abc', { labels, ports: PORT80, endpoints: [endpoint(1)] });
  it.each([
    ['reserved labels only differ (headless on a non-headless Service): no change', { ...LABELS, 'service.kubernetes.io/headless': '' }, {}, 0],
    ['a Service label missing on the slice', LABELS, { app: 'x' }, 1],
    ['a slice label the Service does not have', { ...LABELS, app: 'x' }, {}, 1],
    ['reserved labels on the Service are ignored', LABELS, { 'kubernetes.io/service-name': 'bad', 'service.kubernetes.io/headless': 'x' }, 0],
  ])('%s', (_, sliceLabels, serviceLabels, updates) => {
    const r = slices(list(service({}, { labels: serviceLabels }), pod(1), stored(sliceLabels)));
    expect(counts(r)).toEqual([0, updates, 0]);
  });

  it('an unchanged slice filled with new endpoints keeps its stored labels', () => {
    const labels = { ...LABELS, 'service.kubernetes.io/headless': '' };
    const r = slices(list(service(), pod(1), pod(2), stored(labels)));
    expect(counts(r)).toEqual([0, 1, 0]);
    expect(meta(r.update[0]).labels).toEqual(labels);
  });

  it('a slice changed in step 1 takes the Service labels', () => {
    const labels = { ...LABELS, 'service.kubernetes.io/headless': '' };
    const r = slices(list(service(), pod(1, { ready: false }), stored(labels)));
    expect(counts(r)).toEqual([0, 1, 0]);
    expect(meta(r.update[0]).labels).toEqual(LABELS);
  });
});

describe('syncService: Services that get no writes; finalize', () => {
  it.each([
    ['without a selector', { selector: undefined }],
    ['of type ExternalName', { type: 'ExternalName', externalName: 'example.com' }],
  ])('a Service %s gets nothing from either controller', (_, spec) => {
    const items = list(service(spec as Obj), pods(3));
    expect(counts(slices(items))).toEqual([0, 0, 0]);
    expect(counts(endpoints(items))).toEqual([0, 0, 0]);
  });

  it('finalize: a Service being deleted gets no creates', () => {
    expect(counts(slices(list(service({}, { deletionTimestamp: '2026-01-01T00:00:00Z' }), pods(3))))).toEqual([0, 0, 0]);
  });

  it('finalize: a Service being deleted still has its recycled creates sent as updates', () => {
    const before = synced(list(service(), pods(3)));
    const r = slices(list(service({ ports: [{ name: '', port: 80, protocol: 'TCP', targetPort: 81 }] }, { deletionTimestamp: '2026-01-01T00:00:00Z' }), pods(3), before));
    expect(counts(r)).toEqual([0, 1, 0]);
  });
});

describe('getEndpointAddresses / ShouldPodBeInEndpoints', () => {
  it('a pod with only status.podIP has no endpoint, but its port list stays desired', () => {
    const p = pod(1);
    delete (p.status as Obj).podIPs;
    // Its existing empty slice with that port list is kept (not replaced by a placeholder).
    const r = slices(list(service(), p, slice('foo-abc', { ports: PORT80 })));
    expect(counts(r)).toEqual([0, 0, 0]);
    expect(counts(slices(list(service(), p)))).toEqual([1, 0, 0]);
    expect(slices(list(service(), p)).create[0].endpoints).toEqual([]);
  });

  it('IPv6 addresses are written canonical in slices and as given in Endpoints', () => {
    const items = list(service({ ipFamilies: ['IPv6'] }), pod(1, { ips: ['2001:DB8:0:0:0:0:0:0001'] }));
    expect((slices(items).create[0].endpoints as Obj[])[0].addresses).toEqual(['2001:db8::1']);
    expect(((endpoints(items).create[0].subsets as Obj[])[0].addresses as Obj[])[0].ip).toBe('2001:DB8:0:0:0:0:0:0001');
  });

  it('a port list is desired even when its pods have no address of the family: the existing slice is kept', () => {
    const r = slices(list(service(), pod(1, { node: 'gone' }), node('node-1'), slice('foo-abc', { ports: PORT80 })));
    expect(counts(r)).toEqual([0, 0, 0]);
  });
});

describe('FindPort', () => {
  const named = { ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'web' }] };
  const withInit = (restartPolicy?: string) => {
    const p = pod(1);
    (p.spec as Obj).initContainers = [{ name: 'side', ...(restartPolicy ? { restartPolicy } : {}), ports: [{ name: 'web', containerPort: 8080, protocol: 'TCP' }] }];
    return p;
  };
  it.each([
    ['a sidecar (init container with restartPolicy Always)', 'Always', [{ name: 'http', protocol: 'TCP', port: 8080 }]],
    ['a plain init container is not searched', undefined, []],
  ])('%s', (_, policy, ports) => {
    expect(slices(list(service(named), withInit(policy))).create[0].ports).toEqual(ports);
  });
});

describe('LessEndpointAddress and truncateEndpoints', () => {
  it('addresses are ordered by the bytes of the IP text: 10.0.0.10 before 10.0.0.9', () => {
    const r = endpoints(list(service(), pod(1, { ips: ['10.0.0.9'] }), pod(2, { ips: ['10.0.0.10'] }), pod(3, { ips: ['10.0.0.1'] })));
    expect(((r.create[0].subsets as Obj[])[0].addresses as Obj[]).map((a) => a.ip)).toEqual(['10.0.0.1', '10.0.0.10', '10.0.0.9']);
  });

  it('the 1000 cap keeps the first addresses in that order', () => {
    const many = Array.from({ length: 1001 }, (_, i) => pod(i, { ips: [`10.0.${Math.floor(i / 250)}.${i % 250}`] }));
    const kept = ((endpoints(list(service(), many)).create[0].subsets as Obj[])[0].addresses as Obj[]).map((a) => a.ip as string);
    const all = many.map((p) => ((p.status as Obj).podIPs as Obj[])[0].ip as string);
    expect(kept).toEqual([...all].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))).slice(0, 1000));
  });
});

describe('RepackSubsets', () => {
  it('ports served by different address sets get their own subsets; a pod serving both is in both', () => {
    const svc = service({ ports: [{ name: 'a', port: 80, protocol: 'TCP', targetPort: 80 }, { name: 'b', port: 90, protocol: 'TCP', targetPort: 'metrics' }] });
    const both = pod(1, { containerPorts: [{ name: 'metrics', containerPort: 9090, protocol: 'TCP' }] });
    const one = pod(2);
    const subsets = endpoints(list(svc, both, one)).create[0].subsets as Obj[];
    const view = subsets.map((s) => [(s.ports as Obj[]).map((p) => p.name), (s.addresses as Obj[]).map((a) => a.ip)]).sort();
    expect(view).toEqual([
      [['a'], ['1.2.3.5', '1.2.3.6']],
      [['b'], ['1.2.3.5']],
    ]);
  });

  it('ports served by the same addresses share one subset', () => {
    const svc = service({ ports: [{ name: 'a', port: 80, protocol: 'TCP', targetPort: 80 }, { name: 'b', port: 90, protocol: 'TCP', targetPort: 90 }] });
    const subsets = endpoints(list(svc, pods(3, () => ({})))).create[0].subsets as Obj[];
    expect(subsets).toHaveLength(1);
    expect((subsets[0].addresses as Obj[]).length).toBe(3);
  });
});

describe('Endpoints: labels, targetRef, over capacity by release', () => {
  const current = (labels: Obj, addresses: Obj[] = [{ ip: '1.2.3.5', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'test', name: 'pod1', uid: 'uid-pod1' } }], annotations?: Obj) => ({
    kind: 'Endpoints',
    apiVersion: 'v1',
    metadata: { name: 'foo', namespace: 'test', resourceVersion: '5', labels, ...(annotations ? { annotations } : {}) },
    subsets: [{ addresses, ports: [{ name: '', port: 80, protocol: 'TCP' }] }],
  });
  const MB = { 'endpoints.kubernetes.io/managed-by': 'endpoint-controller' };
  it.each([
    ['1.35: label present, nothing to do', '1.35', MB, 0],
    ['1.35: a missing managed-by label is repaired by a write', '1.35', {}, 1],
    ['1.35: a wrong managed-by label is repaired by a write', '1.35', { 'endpoints.kubernetes.io/managed-by': 'someone' }, 1],
    ['1.32: no label, nothing to do', '1.32', {}, 0],
    ['1.32: a managed-by label is a label the Service does not have', '1.32', MB, 1],
  ])('%s', (_, version, labels, updates) => {
    const r = endpoints(list(service(), pod(1), current(labels)), reconcileOptions({ controller: 'endpoints', kubernetes: version }));
    expect(counts(r)).toEqual([0, updates, 0]);
    if (updates) expect(meta(r.update[0]).labels ?? {}).toEqual(version === '1.35' ? MB : {});
  });

  it('targetRef compared as a value: other key order and a resourceVersion are no change', () => {
    const addr = [{ targetRef: { uid: 'uid-pod1', resourceVersion: '9', name: 'pod1', namespace: 'test', kind: 'Pod' }, nodeName: 'node-1', ip: '1.2.3.5' }];
    expect(counts(endpoints(list(service(), pod(1), current(MB, addr))))).toEqual([0, 0, 0]);
  });

  it.each([
    ['1.20: no cap, no annotation', '1.20', 1001, undefined],
    ['1.21: every address kept, annotation warning', '1.21', 1001, 'warning'],
    ['1.22: truncated to 1000, annotation truncated', '1.22', 1000, 'truncated'],
  ])('%s', (_, version, kept, annotation) => {
    const r = endpoints(list(service(), pods(1001, () => ({}))), reconcileOptions({ controller: 'endpoints', kubernetes: version }));
    const subsets = r.create[0].subsets as Obj[];
    expect(subsets.reduce((n, s) => n + (s.addresses as Obj[]).length, 0)).toBe(kept);
    expect((meta(r.create[0]).annotations as Obj | undefined)?.['endpoints.kubernetes.io/over-capacity']).toBe(annotation);
  });
});

describe('EndpointSliceTerminatingCondition by release', () => {
  it.each([
    ['1.21: terminating pods are left out; only ready is set', '1.21', 1, { ready: true }],
    ['1.22: terminating pods stay with serving and terminating', '1.22', 2, { ready: true, serving: true, terminating: false }],
  ])('%s', (_, version, n, conditions) => {
    const r = slices(list(service(), pod(1), pod(2, { terminating: true })), reconcileOptions({ controller: 'endpointslice', kubernetes: version }));
    const eps = r.create[0].endpoints as Obj[];
    expect(eps).toHaveLength(n);
    expect(eps.find((e) => (e.targetRef as Obj).name === 'pod1')!.conditions).toEqual(conditions);
  });
});

describe('trigger_time_tracker.go (TestNewServiceNoPods, TestNewServiceExistingPods, TestPodsAdded, TestPodUpdated, TestPodsUpdatedNoOp, TestPodDeletedThenAdded)', () => {
  const p = (name: string, t?: number) => ({ readyTransitionTime: t === undefined ? undefined : micros(t) }) as Pod;
  it('in sequence', () => {
    const tracker = new TriggerTimeTracker();
    const sync = (changed: [string, Pod | undefined][]) => tracker.compute('svc', micros(10), changed.map(([name]) => name), (name) => new Map(changed).get(name));
    expect(sync([])).toBe(10); // first sync: the Service's creation
    expect(sync([['a', p('a', 20)], ['b', p('b', 15)]])).toBe(15); // new pods: the earliest
    expect(sync([['a', p('a', 20)]])).toBeUndefined(); // no Ready transition since
    expect(sync([['a', p('a', 30)], ['b', p('b', 15)]])).toBe(30); // only a changed
    expect(sync([['b', undefined]])).toBeUndefined(); // deleted: no trigger
    expect(sync([['b', p('b', 15)]])).toBe(15); // re-added: new to the tracker
    expect(sync([['c', p('c')]])).toBeUndefined(); // no Ready condition yet
  });

  it('reconcile: a fresh controller annotates with the Service creation time, or not at all', () => {
    const created = slices(list(service({}, { creationTimestamp: '2026-03-01T10:00:00Z' }), pods(2)));
    expect(meta(created.create[0]).annotations).toEqual({ 'endpoints.kubernetes.io/last-change-trigger-time': '2026-03-01T10:00:00Z' });
    expect(meta(slices(list(service(), pods(2))).create[0]).annotations).toBeUndefined();
  });
});

describe('podEndpointsChanged', () => {
  const base = { ready: true, deletionTimestamp: null, hostname: '', subdomain: '', podIPs: ['1.2.3.4'], phase: 'Running', nodeName: 'n' } as unknown as Pod;
  it.each([
    ['phase only', { phase: 'Failed' }, false],
    ['nodeName only', { nodeName: 'm' }, false],
    ['readiness', { ready: false }, true],
    ['deletionTimestamp', { deletionTimestamp: micros(5) }, true],
    ['podIPs', { podIPs: ['1.2.3.5'] }, true],
    ['hostname', { hostname: 'h' }, true],
  ])('%s -> %s', (_, change, changed) => {
    expect(podEndpointsChanged({ ...base, ...change } as Pod, base)).toBe(changed);
  });
});

describe('ActivePodsWithRanks.Less', () => {
  const now = micros(10_000e6);
  const p = (o: Partial<Pod>) => ({ nodeName: 'n', phase: 'Running', ready: true, uid: 'u', readyTransitionTime: micros(0), creationTime: micros(0), ...o }) as Pod;
  it.each([
    ['unassigned before assigned', p({ nodeName: '' }), p({}), 0, 0, true],
    ['Pending before Running', p({ phase: 'Pending' }), p({}), 0, 0, true],
    ['not ready before ready', p({ ready: false }), p({}), 0, 0, true],
    ['more pods on its node first (doubled up)', p({}), p({}), 3, 1, true],
    ['fewer pods on its node later', p({}), p({}), 1, 3, false],
    ['ready more recently first (other log2 bucket)', p({ readyTransitionTime: micros(9_000e6) }), p({}), 1, 1, true],
    ['same log2 bucket: the smaller UID first', p({ uid: 'a', readyTransitionTime: micros(1e6) }), p({ uid: 'b', readyTransitionTime: micros(2e6) }), 1, 1, true],
    ['created more recently first', p({ creationTime: micros(9_000e6) }), p({}), 1, 1, true],
    ['equal: no order', p({}), p({}), 1, 1, undefined],
  ])('%s', (_, a, b, ra, rb, less) => {
    expect(lessActivePod(a, b, ra, rb, now)).toBe(less);
  });
});
