// Kubernetes objects as the upstream controller tests build them, as plain JSON: pod i is `pod{i}`
// with IP 1.2.3.{4+i} (more octets past 251), ready unless told otherwise; a Service `foo` in
// namespace `test`. `applyWrites` plays the API server so a second sync sees the first one's slices.
import type { Obj } from '../src/k8s/read.js';
import type { ReconcileResult } from '../src/k8s/reconcile.js';

export interface PodOptions {
  ready?: boolean;
  namespace?: string;
  phase?: string;
  terminating?: boolean;
  ips?: string[];
  node?: string;
  containerPorts?: Obj[];
  labels?: Record<string, string>;
}

export const podIP = (i: number) => `1.2.${3 + Math.floor((4 + i) / 256)}.${(4 + i) % 256}`;

export function pod(i: number, o: PodOptions = {}): Obj {
  const ips = o.ips ?? [podIP(i)];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `pod${i}`,
      namespace: o.namespace ?? 'test',
      uid: `uid-pod${i}`,
      labels: o.labels ?? { foo: 'bar' },
      ...(o.terminating ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
    },
    spec: { nodeName: o.node ?? 'node-1', containers: [{ name: 'c', ports: o.containerPorts ?? [] }] },
    status: {
      phase: o.phase ?? 'Running',
      podIP: ips[0],
      podIPs: ips.map((ip) => ({ ip })),
      conditions: [{ type: 'Ready', status: (o.ready ?? true) ? 'True' : 'False' }],
    },
  };
}

/** `count` pods with upstream's default readiness rule (i % 3 != 0) unless `ready` is given. */
export const pods = (count: number, o: (i: number) => PodOptions = (i) => ({ ready: i % 3 !== 0 })) => Array.from({ length: count }, (_, i) => pod(i, o(i)));

export function service(spec: Obj = {}, meta: Obj = {}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'foo', namespace: 'test', uid: 'uid-svc-foo', ...meta },
    spec: { selector: { foo: 'bar' }, clusterIP: '10.0.0.10', ipFamilies: ['IPv4'], ports: [{ name: '', port: 80, protocol: 'TCP', targetPort: 80 }], ...spec },
  };
}

export const node = (name: string, zone?: string): Obj => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: zone ? { 'topology.kubernetes.io/zone': zone } : {} } });

export const list = (...items: (Obj | Obj[])[]): Obj[] => items.flat();

/** The objects stored after a sync's writes: created slices get names, updates replace, deletes remove. */
export function applyWrites(existing: Obj[], r: ReconcileResult): Obj[] {
  const name = (o: Obj) => (o.metadata as Obj).name as string;
  let stored = existing.filter((o) => !r.delete.some((d) => name(d) === name(o)));
  stored = stored.map((o) => r.update.find((u) => name(u) === name(o)) ?? o);
  r.create.forEach((c, i) => {
    const meta = c.metadata as Obj;
    stored.push({ ...c, metadata: { ...meta, name: meta.name ?? `${meta.generateName}${stored.length}${i}`, resourceVersion: '1' } });
  });
  return stored;
}

export const endpointCounts = (slices: Obj[]) => slices.map((s) => (s.endpoints as unknown[]).length).sort((a, b) => b - a);
