// Real Kubernetes objects (as kubectl prints them) turned into the simulator's model: the Service,
// Pod and Node fields the endpoint controllers read, and existing EndpointSlices. Fields are read
// as the controllers read them; a field of the wrong type is bad input, named by its path.
import { UsageError } from '../cli/errors.js';
import type { ContainerPort, IPFamily, Node, Pod, PodPhase, Service, ServicePort } from '../model/cluster.js';
import { EndpointSlice, makeEndpoint, type Endpoint, type EndpointConditions, type EndpointHints, type EndpointPort } from '../model/endpointslice.js';
import { hasExcludedLabels, parseMilliCPU } from '../controllers/endpointslice/topologycache/nodes.js';
import { EPOCH_MS } from '../model/meta.js';
import { micros } from '../engine/time.js';
import type { ObjectMeta } from '../model/meta.js';
import { canonicalIP, isIPv6 } from '../model/ip.js';
import { isObj, type Obj } from './read.js';

/** Reads typed fields of one object, reporting the file, the item and the path of what is wrong. */
class Fields {
  constructor(
    readonly where: string,
    readonly o: Obj,
  ) {}

  fail(path: string, what: string): never {
    throw new UsageError(`${this.where}.${path}: ${what}`);
  }

  at(path: string): unknown {
    let v: unknown = this.o;
    for (const k of path.split('.')) v = isObj(v) ? v[k] : undefined;
    return v;
  }

  str(path: string, fallback = ''): string {
    const v = this.at(path);
    if (v === undefined || v === null) return fallback;
    return typeof v === 'string' ? v : this.fail(path, `expected a string, got ${JSON.stringify(v)}`);
  }

  bool(path: string): boolean {
    const v = this.at(path);
    if (v === undefined || v === null) return false;
    return typeof v === 'boolean' ? v : this.fail(path, `expected true or false, got ${JSON.stringify(v)}`);
  }

  list(path: string): Obj[] {
    const v = this.at(path);
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || !v.every(isObj)) this.fail(path, 'expected a list of objects');
    return v as Obj[];
  }

  strings(path: string): string[] {
    const v = this.at(path);
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) this.fail(path, 'expected a list of strings');
    return v as string[];
  }

  map(path: string): Record<string, string> {
    const v = this.at(path);
    if (v === undefined || v === null) return {};
    if (!isObj(v) || !Object.values(v).every((x) => typeof x === 'string')) this.fail(path, 'expected a map of strings');
    return { ...(v as Record<string, string>) };
  }

  port(path: string): number | undefined {
    const v = this.at(path);
    if (v === undefined || v === null) return undefined;
    if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > 65535) this.fail(path, `expected a port number 1..65535, got ${JSON.stringify(v)}`);
    return v as number;
  }

  ip(path: string, text: string): string {
    return canonicalIP(text) ?? this.fail(path, `not an IP address: ${JSON.stringify(text)}`);
  }

  /** Strict metadata for re-emitting objects (kept as given: uid, resourceVersion, managedFields, …). */
  meta(): ObjectMeta {
    const m = this.o.metadata;
    if (m !== undefined && !isObj(m)) this.fail('metadata', 'expected an object');
    return { ...((m ?? {}) as ObjectMeta) };
  }
}

export function parseService(f: Fields): Service {
  const clusterIP = f.str('spec.clusterIP');
  const headless = clusterIP === '' || clusterIP === 'None';
  // getAddressTypesForService: spec.ipFamilies, else the cluster IP's family, else (headless) both.
  let ipFamilies = f.strings('spec.ipFamilies') as IPFamily[];
  for (const [i, fam] of ipFamilies.entries()) if (fam !== 'IPv4' && fam !== 'IPv6') f.fail(`spec.ipFamilies[${i}]`, 'expected IPv4 or IPv6');
  if (ipFamilies.length === 0) ipFamilies = headless ? ['IPv4', 'IPv6'] : [isIPv6(clusterIP) ? 'IPv6' : 'IPv4'];
  const ports: ServicePort[] = f.list('spec.ports').map((p, i) => {
    const pf = new Fields(`${f.where}.spec.ports[${i}]`, p);
    const port = pf.port('port') ?? pf.fail('port', 'required');
    const target = p.targetPort;
    const targetPort = target === undefined || target === null || target === 0 ? port : typeof target === 'string' ? target : (pf.port('targetPort') as number);
    const out: ServicePort = { name: pf.str('name'), protocol: pf.str('protocol', 'TCP'), port, targetPort };
    if (p.appProtocol !== undefined) out.appProtocol = pf.str('appProtocol');
    return out;
  });
  const created = f.str('metadata.creationTimestamp');
  const createdMs = created ? Date.parse(created) : NaN;
  if (created && !Number.isFinite(createdMs)) f.fail('metadata.creationTimestamp', `expected an RFC 3339 time, got ${JSON.stringify(created)}`);
  const selector = (f.o.spec as Obj | undefined)?.selector;
  return {
    namespace: f.str('metadata.namespace', 'default'),
    name: f.str('metadata.name') || f.fail('metadata.name', 'required'),
    uid: f.str('metadata.uid'),
    labels: f.map('metadata.labels'),
    ports,
    ipFamilies,
    addressType: 'IP',
    publishNotReadyAddresses: f.bool('spec.publishNotReadyAddresses'),
    headless,
    clusterIPNone: clusterIP === 'None',
    // spec.selector == nil: no selector (an empty map is a selector that picks every pod).
    selector: isObj(selector),
    externalName: f.str('spec.type') === 'ExternalName',
    deleting: f.str('metadata.deletionTimestamp') !== '',
    ipFamiliesDefaulted: f.strings('spec.ipFamilies').length === 0 && headless,
    // metav1.Time has whole seconds; kept as µs from the simulator's epoch, as every other time.
    ...(created ? { creationTime: micros((Math.floor(createdMs / 1000) * 1000 - EPOCH_MS) * 1000) } : {}),
    annotations: f.map('metadata.annotations'),
    ...(f.str('spec.trafficDistribution') ? { trafficDistribution: f.str('spec.trafficDistribution') } : {}),
  };
}

const PHASES: PodPhase[] = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];

export function parsePod(f: Fields, seq: number): Pod {
  const namespace = f.str('metadata.namespace', 'default');
  const name = f.str('metadata.name') || f.fail('metadata.name', 'required');
  const phase = f.str('status.phase', 'Pending') as PodPhase;
  if (!PHASES.includes(phase)) f.fail('status.phase', `expected one of ${PHASES.join(', ')}`);
  // IPs are kept as written (the Endpoints controller copies them; the slice controller re-stringifies).
  const podIPs = f.list('status.podIPs').map((p, i) => {
    const ip = new Fields(f.where, p).str('ip');
    f.ip(`status.podIPs[${i}].ip`, ip);
    return ip;
  });
  const podIP = f.str('status.podIP');
  if (podIP) f.ip('status.podIP', podIP);
  const ready = f.list('status.conditions').some((c) => c.type === 'Ready' && c.status === 'True');
  const containerPorts: ContainerPort[] = [];
  f.list('spec.containers').forEach((c, i) => {
    const cf = new Fields(`${f.where}.spec.containers[${i}]`, c);
    cf.list('ports').forEach((p, j) => {
      const pf = new Fields(`${cf.where}.ports[${j}]`, p);
      containerPorts.push({ name: pf.str('name'), containerPort: pf.port('containerPort') ?? pf.fail('containerPort', 'required'), protocol: pf.str('protocol', 'TCP') });
    });
  });
  // FindPort also looks at sidecars: init containers with restartPolicy Always.
  const sidecarPorts: ContainerPort[] = [];
  f.list('spec.initContainers').forEach((c, i) => {
    const cf = new Fields(`${f.where}.spec.initContainers[${i}]`, c);
    if (cf.str('restartPolicy') !== 'Always') return;
    cf.list('ports').forEach((p, j) => {
      const pf = new Fields(`${cf.where}.ports[${j}]`, p);
      sidecarPorts.push({ name: pf.str('name'), containerPort: pf.port('containerPort') ?? pf.fail('containerPort', 'required'), protocol: pf.str('protocol', 'TCP') });
    });
  });
  return {
    key: `${namespace}/${name}`,
    namespace,
    name,
    uid: f.str('metadata.uid'),
    service: 0,
    seq,
    nodeName: f.str('spec.nodeName'),
    podIPs,
    ...(podIP ? { podIP } : {}),
    phase,
    ready,
    deletionTimestamp: f.str('metadata.deletionTimestamp') ? (0 as Pod['deletionTimestamp']) : null,
    hostname: f.str('spec.hostname'),
    subdomain: f.str('spec.subdomain'),
    containerPorts,
    ...(sidecarPorts.length ? { sidecarPorts } : {}),
    resourceVersion: Number(f.str('metadata.resourceVersion', '0')) || 0,
  };
}

/** The Node fields the EndpointSlice controller reads: zone label, allocatable CPU, Ready condition, role labels. */
export function parseNode(f: Fields): Node {
  const labels = f.map('metadata.labels');
  const cpu = f.at('status.allocatable.cpu');
  let allocatableMilliCPU = 0;
  if (cpu !== undefined && cpu !== null) {
    const m = typeof cpu === 'string' || typeof cpu === 'number' ? parseMilliCPU(cpu) : undefined;
    allocatableMilliCPU = m ?? f.fail('status.allocatable.cpu', `expected a CPU quantity such as 4, 3500m or 0.5, got ${JSON.stringify(cpu)}`);
  }
  // isNodeReady: the Ready condition, when present, decides; a node without one is not ready.
  const readyCondition = f.list('status.conditions').find((c) => c.type === 'Ready');
  return {
    name: f.str('metadata.name') || f.fail('metadata.name', 'required'),
    zone: labels['topology.kubernetes.io/zone'] ?? '',
    allocatableMilliCPU,
    ready: readyCondition?.status === 'True',
    controlPlane: hasExcludedLabels(labels),
  };
}

/** An endpoint's hints (forZones / forNodes names), read as the API would store them. */
function parseHints(f: Fields, path: string): EndpointHints | undefined {
  if (!isObj(f.at(path))) return undefined;
  const names = (list: string) => f.list(`${path}.${list}`).map((x, i) => new Fields(`${f.where}.${path}.${list}[${i}]`, x).str('name'));
  const forZones = names('forZones');
  const forNodes = names('forNodes');
  return { ...(forZones.length ? { forZones } : {}), ...(forNodes.length ? { forNodes } : {}) };
}

// 'IP' is the deprecated address type of early slices: read, then replaced by the controller.
const ADDRESS_TYPES = ['IPv4', 'IPv6', 'FQDN', 'IP'] as const;

export function parseEndpointSlice(f: Fields): EndpointSlice {
  const addressType = f.str('addressType') as EndpointSlice['addressType'];
  if (!ADDRESS_TYPES.includes(addressType)) f.fail('addressType', `expected one of ${ADDRESS_TYPES.join(', ')}`);
  const endpoints: Endpoint[] = f.list('endpoints').map((e, i) => {
    const ef = new Fields(`${f.where}.endpoints[${i}]`, e);
    const addresses = ef.strings('addresses');
    const ref = isObj(e.targetRef) ? new Fields(`${ef.where}.targetRef`, e.targetRef) : undefined;
    const targetRef = ref && {
      kind: ref.str('kind'),
      namespace: ref.str('namespace'),
      name: ref.str('name'),
      uid: ref.str('uid'),
      ...(ref.str('apiVersion') ? { apiVersion: ref.str('apiVersion') } : {}),
      ...(ref.str('resourceVersion') ? { resourceVersion: ref.str('resourceVersion') } : {}),
      ...(ref.str('fieldPath') ? { fieldPath: ref.str('fieldPath') } : {}),
    };
    // Conditions are pointers: an unset one stays unset (it is not false, and not true).
    const conditions: EndpointConditions = {};
    for (const k of ['ready', 'serving', 'terminating'] as const) {
      const v = isObj(e.conditions) ? e.conditions[k] : undefined;
      if (v === undefined || v === null) continue;
      if (typeof v !== 'boolean') ef.fail(`conditions.${k}`, `expected true or false, got ${JSON.stringify(v)}`);
      conditions[k] = v as boolean;
    }
    // Identity as hashEndpoint sees it: the target's namespace/name (the reconciler adds addresses and hostname).
    const key = targetRef ? `${targetRef.namespace}/${targetRef.name}` : `address:${[...addresses].sort().join(',')}`;
    return makeEndpoint(key, {
      addresses,
      conditions,
      ...(e.hostname !== undefined ? { hostname: ef.str('hostname') } : {}),
      ...(targetRef ? { targetRef } : {}),
      ...(e.nodeName !== undefined ? { nodeName: ef.str('nodeName') } : {}),
      ...(e.zone !== undefined ? { zone: ef.str('zone') } : {}),
      ...(isObj(e.hints) ? { hints: parseHints(ef, 'hints') } : {}),
    });
  });
  const ports: EndpointPort[] = f.list('ports').map((p, i) => {
    const pf = new Fields(`${f.where}.ports[${i}]`, p);
    const out: EndpointPort = {};
    if (p.name !== undefined) out.name = pf.str('name');
    if (p.protocol !== undefined) out.protocol = pf.str('protocol');
    if (p.port !== undefined) out.port = pf.port('port');
    if (p.appProtocol !== undefined) out.appProtocol = pf.str('appProtocol');
    return out;
  });
  return new EndpointSlice(f.meta(), addressType, endpoints, ports);
}

export { Fields };
