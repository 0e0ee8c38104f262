// One controller sync over real objects (`slicesim reconcile`): the Service, its Pods, optionally
// Nodes, and the existing EndpointSlices or Endpoints, in; the writes the controller would make, as
// full Kubernetes objects in the order it sends them, out. The same reconcilers as the simulation,
// run as upstream runs them: every pod and every existing endpoint examined.
import { UsageError } from '../cli/errors.js';
import type { Node, Pod, Service } from '../model/cluster.js';
import { LABEL_HEADLESS } from '../model/cluster.js';
import { EndpointSlice, LABEL_MANAGED_BY, LABEL_SERVICE_NAME, CONTROLLER_NAME } from '../model/endpointslice.js';
import { ANNOTATION_OVER_CAPACITY, ANNOTATION_TRIGGER_TIME, EndpointsContent } from '../model/endpoints.js';
import { desiredEndpoint, topologyNodes, withTriggerTime } from '../controllers/endpointslice/controller.js';
import { allWrites, reconcileSlices } from '../controllers/endpointslice/reconciler.js';
import { PortMapDemand } from '../controllers/endpointslice/port-demand.js';
import { TriggerTimeTracker } from '../controllers/trigger-time.js';
import { SliceIndex } from '../controllers/endpointslice/slice-index.js';
import { TopologyCache } from '../controllers/endpointslice/topologycache/cache.js';
import { ALL_TRAFFIC_DISTRIBUTIONS } from '../controllers/endpointslice/trafficdist.js';
import { desiredAddress, endpointsLabels, LABEL_ENDPOINTS_MANAGED_BY } from '../controllers/endpoints/controller.js';
import { normalizeMeta, rfc3339Nano, sortedMap } from '../model/meta.js';
import { Fields, parseEndpointSlice, parseNode, parsePod, parseService } from './objects.js';
import { isObj, type Obj } from './read.js';

export type Controller = 'endpointslice' | 'endpoints';

export interface ReconcileOptions {
  controller: Controller;
  maxEndpointsPerSlice: number;
  maxEndpoints: number;
  /** The release whose profile set the options below (src/scenario/versions.ts); informational. */
  kubernetes?: string;
  /** Above maxEndpoints: truncate (1.22+) or only annotate `warning` (1.21). Default truncate. */
  overCapacity?: 'truncate' | 'warning';
  /** endpoints.kubernetes.io/managed-by on Endpoints (1.33+). Default true. */
  managedByLabel?: boolean;
  /** EndpointSlice serving/terminating conditions and terminating endpoints kept (1.22+). Default true. */
  terminatingCondition?: boolean;
  /** spec.trafficDistribution values honoured. Default all. */
  trafficDistributions?: readonly string[];
  /** The topology cache runs (the TopologyAwareHints gate). Default true. */
  topologyAwareHints?: boolean;
}

export interface ReconcileResult {
  controller: Controller;
  create: Obj[];
  update: Obj[];
  delete: Obj[];
  /** Events the sync would record on the Service (topology hints), when there are any. */
  events?: { type: string; reason: string; message: string }[];
}

interface Input {
  service?: Service;
  serviceObj?: Obj;
  pods: Pod[];
  /** Node name -> zone ('' when unlabelled); undefined when the List holds no Node at all. */
  nodes?: Map<string, string>;
  /** The Nodes as the topology cache reads them. */
  nodeList: Node[];
  slices: EndpointSlice[];
  endpoints: Obj[];
}

function selects(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  return !selector || Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function classify(file: string, items: Obj[]): Input {
  const where = (i: number) => (items.length > 1 ? `${file}: items[${i}]` : file);
  const services = items.flatMap((o, i) => (o.kind === 'Service' ? [{ o, f: new Fields(where(i), o) }] : []));
  if (services.length > 1) throw new UsageError(`${file}: expected at most one Service, found ${services.length}`);
  const svc = services[0];
  const service = svc && parseService(svc.f);
  const namespace = service?.namespace;
  // A Service without a selector selects every pod of its namespace in the List (the pods given are its pods).
  const selector = svc && isObj((svc.o.spec as Obj | undefined)?.selector) ? svc.f.map('spec.selector') : undefined;
  const pods: Pod[] = [];
  const nodes = new Map<string, string>();
  const nodeList: Node[] = [];
  const slices: EndpointSlice[] = [];
  const endpoints: Obj[] = [];
  items.forEach((o, i) => {
    const f = new Fields(where(i), o);
    const inNamespace = namespace === undefined || f.str('metadata.namespace', 'default') === namespace;
    switch (o.kind) {
      case 'Pod':
        if (inNamespace && selects(selector, f.map('metadata.labels'))) pods.push(parsePod(f, pods.length));
        break;
      case 'Node': {
        const n: Node = parseNode(f);
        nodes.set(n.name, n.zone);
        nodeList.push(n);
        break;
      }
      case 'EndpointSlice': {
        const labels = f.map('metadata.labels');
        // The controller lists its slices by these two labels.
        if (inNamespace && service && labels[LABEL_SERVICE_NAME] === service.name && labels[LABEL_MANAGED_BY] === CONTROLLER_NAME) slices.push(parseEndpointSlice(f));
        break;
      }
      case 'Endpoints':
        if (inNamespace) endpoints.push(o);
        break;
      case 'Service':
        break;
      default:
        throw new UsageError(`${where(i)}: kind ${JSON.stringify(o.kind)} is not read by reconcile; allowed: Service, Pod, Node, EndpointSlice, Endpoints`);
    }
  });
  return { service, serviceObj: svc?.o, pods, nodes: nodes.size > 0 ? nodes : undefined, nodeList, slices, endpoints };
}

/**
 * The trigger time a freshly started controller computes (ComputeEndpointLastChangeTriggerTime on its
 * first sync of the Service): the Service's creationTimestamp, or none without one.
 */
function triggerTime(input: Input): string | undefined {
  if (!input.service) return undefined;
  const t = new TriggerTimeTracker().compute('service', input.service.creationTime, [], () => undefined);
  return t === undefined ? undefined : rfc3339Nano(t);
}

function withTrigger(annotations: Record<string, string> | undefined, trigger: string | undefined): Record<string, string> {
  const out = { ...annotations };
  if (trigger) out[ANNOTATION_TRIGGER_TIME] = trigger;
  else delete out[ANNOTATION_TRIGGER_TIME];
  return out;
}

function reconcileEndpointSlices(input: Input, opts: ReconcileOptions): ReconcileResult {
  const service = input.service;
  if (!service) throw new UsageError('reconcile --controller endpointslice: the List holds no Service');
  const index = new SliceIndex(service, opts.maxEndpointsPerSlice, input.slices);
  const pods = new Map(input.pods.map((p) => [p.key, p]));
  const changed = new Set(pods.keys());
  for (const s of input.slices) for (const e of s.endpoints) changed.add(e.key);
  // Without any Node in the List every node exists, with no zone.
  const node = (n: string) => (input.nodes ? (input.nodes.has(n) ? { zone: input.nodes.get(n)! } : undefined) : { zone: '' });
  // A fresh controller: its topology cache knows the Nodes of the List and has populated no hints yet.
  let cache: TopologyCache | undefined;
  if (opts.topologyAwareHints ?? true) {
    cache = new TopologyCache();
    cache.setNodes(topologyNodes(input.nodeList));
  }
  const writes = allWrites(
    reconcileSlices({
      service,
      index,
      demand: new PortMapDemand(),
      changed: [...changed],
      desired: (key, addressType) => desiredEndpoint(service, pods.get(key), addressType, node, opts.terminatingCondition ?? true),
      fullScan: true,
      hints: { cache, trafficDistributions: opts.trafficDistributions ?? ALL_TRAFFIC_DISTRIBUTIONS },
    }),
  );
  const trigger = triggerTime(input);
  const out = (s: EndpointSlice) => withTriggerTime(s, trigger).toJSON();
  const result: ReconcileResult = { controller: 'endpointslice', create: writes.create.map(out), update: writes.update.map(out), delete: writes.delete.map((s) => s.toJSON()) };
  if (writes.events?.length) result.events = writes.events;
  return result;
}

/** An EndpointAddress as endpointSubsetsEqualIgnoreResourceVersion sees it: targetRef by value without resourceVersion. */
function addressIdentity(a: unknown): string {
  if (!isObj(a)) return 'null';
  const r = isObj(a.targetRef) ? a.targetRef : undefined;
  const ref = r && [r.kind, r.namespace, r.name, r.uid, r.apiVersion, r.fieldPath].map((v) => (typeof v === 'string' ? v : ''));
  // nodeName is a pointer: unset differs from "".
  return JSON.stringify([a.ip ?? '', a.hostname ?? '', typeof a.nodeName === 'string' ? a.nodeName : null, ref ?? null]);
}

/**
 * endpointSubsetsEqualIgnoreResourceVersion: Equalities.DeepEqual (nil equals empty), addresses in
 * order, targetRef.resourceVersion ignored. SIM: subsets, and ports within a subset, are compared as
 * sets: upstream orders both by an md5 of Go's dump of each, which no other program can reproduce.
 */
function subsetsEqual(stored: unknown, desired: readonly Obj[]): boolean {
  const key = (subset: unknown) => {
    const s = isObj(subset) ? subset : {};
    const list = (l: unknown) => (Array.isArray(l) ? l.map(addressIdentity) : []);
    const ports = (Array.isArray(s.ports) ? s.ports : []).map((p: unknown) => {
      const x = isObj(p) ? p : {};
      return JSON.stringify([x.name ?? '', x.port ?? 0, x.protocol ?? '', typeof x.appProtocol === 'string' ? x.appProtocol : null]);
    });
    return JSON.stringify([list(s.addresses), list(s.notReadyAddresses), ports.sort()]);
  };
  const a = (Array.isArray(stored) ? stored : []).map(key).sort();
  const b = desired.map(key).sort();
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function labelsEqual(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

/**
 * syncService of the Endpoints controller (pkg/controller/endpoint): no Service, delete its Endpoints;
 * an ExternalName or selector-less Service, nothing; otherwise one Endpoints object from the pods,
 * written (whole) when its subsets, its labels or its over-capacity annotation are not what they
 * should be.
 */
function reconcileEndpoints(input: Input, opts: ReconcileOptions): ReconcileResult {
  const service = input.service;
  const result: ReconcileResult = { controller: 'endpoints', create: [], update: [], delete: [] };
  const current = service ? input.endpoints.find((e) => (e.metadata as Obj | undefined)?.name === service.name) : input.endpoints[0];
  if (input.endpoints.length > 1 && !service) throw new UsageError('reconcile --controller endpoints: without a Service the List may hold at most one Endpoints');
  if (!service) {
    // Service gone: the controller deletes its Endpoints.
    if (current) result.delete.push(current);
    return result;
  }
  if (service.externalName || !service.selector) return result;
  const content = new EndpointsContent();
  for (const pod of input.pods) {
    const d = desiredAddress(service, pod);
    if (d) content.set(pod.key, d.address, d.ports, d.portKey);
  }
  const currentMeta = (current?.metadata ?? {}) as Obj;
  const currentLabels = { ...((currentMeta.labels ?? {}) as Record<string, string>) };
  // The headless label is the controller's own; so is managed-by where the release sets it, and a
  // missing or wrong managed-by label is repaired by a write.
  delete currentLabels[LABEL_HEADLESS];
  const managedBy = opts.managedByLabel !== false;
  const managedByOk = !managedBy || currentLabels[LABEL_ENDPOINTS_MANAGED_BY] === 'endpoint-controller';
  if (managedBy) delete currentLabels[LABEL_ENDPOINTS_MANAGED_BY];
  const annotations = (currentMeta.annotations ?? {}) as Record<string, string>;
  const storedCount = Array.isArray(current?.subsets)
    ? (current.subsets as Obj[]).reduce((n, s) => n + ((s.addresses as unknown[])?.length ?? 0) + ((s.notReadyAddresses as unknown[])?.length ?? 0), 0)
    : 0;
  // capacityAnnotationSetCorrectly: when truncating (1.22+), a stored object over the cap, or one still
  // marked, is rewritten; when warning (1.21), the annotation must say `warning` exactly when over;
  // before 1.21 the annotation is not looked at.
  const warning = opts.overCapacity === 'warning';
  const over = opts.maxEndpoints > 0 && storedCount > opts.maxEndpoints;
  const capacityOk = opts.maxEndpoints === 0 || (warning ? annotations[ANNOTATION_OVER_CAPACITY] === (over ? 'warning' : undefined) : !over && annotations[ANNOTATION_OVER_CAPACITY] === undefined);
  const same = current !== undefined && subsetsEqual(current.subsets, content.toJSON(0)) && labelsEqual(currentLabels, service.labels) && managedByOk && capacityOk;
  if (same) return result;
  const cap = warning ? 0 : opts.maxEndpoints;
  const measure = content.measure(cap);
  const newAnnotations = withTrigger(annotations, triggerTime(input));
  if (opts.maxEndpoints > 0) {
    if (measure.truncated) newAnnotations[ANNOTATION_OVER_CAPACITY] = 'truncated';
    else if (warning && measure.addresses > opts.maxEndpoints) newAnnotations[ANNOTATION_OVER_CAPACITY] = 'warning';
    else delete newAnnotations[ANNOTATION_OVER_CAPACITY];
  }
  const labels = endpointsLabels(service, managedBy);
  const metadata = normalizeMeta({ ...(currentMeta as object), name: service.name, namespace: service.namespace, labels, annotations: newAnnotations });
  const subsets = content.toJSON(cap);
  const object: Obj = { kind: 'Endpoints', apiVersion: 'v1', metadata, ...(subsets.length ? { subsets } : {}) };
  (current ? result.update : result.create).push(object);
  return result;
}

export function reconcileList(file: string, items: Obj[], opts: ReconcileOptions): ReconcileResult {
  if (!Number.isInteger(opts.maxEndpointsPerSlice) || opts.maxEndpointsPerSlice < 1 || opts.maxEndpointsPerSlice > 1000) {
    throw new UsageError(`--max-endpoints-per-slice: expected 1..1000, got ${opts.maxEndpointsPerSlice}`);
  }
  if (!Number.isInteger(opts.maxEndpoints) || opts.maxEndpoints < 0) throw new UsageError(`--max-endpoints: expected a whole number ≥ 0 (0 = no cap), got ${opts.maxEndpoints}`);
  const input = classify(file, items);
  return opts.controller === 'endpoints' ? reconcileEndpoints(input, opts) : reconcileEndpointSlices(input, opts);
}
