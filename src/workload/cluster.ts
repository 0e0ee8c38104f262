// Builds the simulated cluster: nodes spread round-robin over zones, realistic names (so that real
// encodings have real lengths), per-node pod CIDRs, and pods placed on nodes in turn.
import type { Rng } from '../engine/rng.js';
import { micros, type Micros } from '../engine/time.js';
import type { ContainerPort, IPFamily, Node, Pod, Service } from '../model/cluster.js';
import { codeString, randomCode, randomString, uuid } from '../apiserver/names.js';
import type { ResolvedScenario as Scenario, ResolvedServiceSpec as ServiceSpec } from '../scenario/resolve.js';

// Pod names as the ReplicaSet controller makes them: <deployment>-<10-char template hash>-<5-char suffix>.

/**
 * EKS-style node names from the node's own address, ip-10-<a>-<b>-<c>.ec2.internal for node i =
 * a·65536 + b·256 + c: distinct and valid DNS names up to 2^24 nodes (the first 65,536 are ip-10-0-…).
 */
export function nodeName(i: number): string {
  return `ip-10-${i >>> 16}-${(i >>> 8) & 255}-${i & 255}.ec2.internal`;
}

/**
 * Pod CIDRs: node i gets the i-th block of 2^(32 - podCIDRMaskSize) addresses counted from 10.64.0.0
 * (with /24: 10.64.0.0/24, 10.64.1.0/24, …).
 * SIM: the blocks run on past 10.255.255.255 (11.0.0.0, …) for clusters over 49,152 nodes with /24s,
 * where a real cluster would need a larger cluster CIDR or IPv6; the addresses stay valid and
 * distinct, and only their text length matters to the sizes. Validation refuses node counts whose
 * blocks would run past 255.255.255.255 (podCIDRFits).
 */
const POD_CIDR_BASE = (10 * 2 ** 24) + (64 * 2 ** 16);

/** Whether `nodes` pod CIDRs of this mask fit below 2^32. */
export const podCIDRFits = (nodes: number, maskSize: number): boolean => POD_CIDR_BASE + nodes * 2 ** (32 - maskSize) <= 2 ** 32;

/** Pods a node can hold: the usable addresses of its pod CIDR (all but network and broadcast) or the kubelet's max-pods, whichever is smaller. */
export const podsPerNode = (maskSize: number, maxPodsPerNode: number): number => Math.min(2 ** (32 - maskSize) - 2, maxPodsPerNode);

function ipv4(n: number): string {
  return `${Math.floor(n / 2 ** 24)}.${Math.floor(n / 2 ** 16) & 255}.${Math.floor(n / 256) & 255}.${n & 255}`;
}

/** The pod address of host number `host` in node `node`'s IPv4 pod CIDR. */
export function podIPv4(node: number, host: number, maskSize: number): string {
  return ipv4(POD_CIDR_BASE + node * 2 ** (32 - maskSize) + host);
}

/** IPv6 pod CIDRs fd00:10:244:<node>::/64; past 65,535 nodes the third group counts on (245, 246, …). */
export function podIPv6(node: number, host: number): string {
  return `fd00:10:${(0x244 + Math.floor(node / 65536)).toString(16)}:${(node & 0xffff).toString(16)}::${host.toString(16)}`;
}
/** The first `cluster.controlPlaneNodes` nodes are control-plane nodes; each node's CPU is `cluster.nodeCPU` (per zone when a map). */
export function buildNodes(scenario: Scenario): Node[] {
  const { zones, nodeCPU, controlPlaneNodes } = scenario.cluster;
  return Array.from({ length: scenario.cluster.nodes }, (_, i) => {
    const zone = zones.length ? zones[i % zones.length] : '';
    const cores = typeof nodeCPU === 'number' ? nodeCPU : (nodeCPU[zone] ?? 0);
    // SIM: no taints: pods are placed on control-plane nodes too (scenarios keep controlPlaneNodes at 0 or accept it).
    return { name: nodeName(i), zone, allocatableMilliCPU: Math.round(cores * 1000), ready: true, controlPlane: i < controlPlaneNodes };
  });
}

/** The service.kubernetes.io/topology-mode annotation a scenario's topologyMode stands for. */
const topologyAnnotations = (spec: ServiceSpec): Record<string, string> => (spec.topologyMode !== undefined ? { 'service.kubernetes.io/topology-mode': spec.topologyMode } : {});

export function buildService(spec: ServiceSpec, rng: Rng): Service {
  return {
    namespace: spec.namespace,
    name: spec.name,
    uid: uuid(rng),
    labels: { app: spec.name, ...spec.labels },
    ports: spec.ports.map((p) => ({ name: p.name, protocol: p.protocol, port: p.port, targetPort: p.targetPort ?? p.port, ...(p.appProtocol !== undefined ? { appProtocol: p.appProtocol } : {}) })),
    ipFamilies: spec.ipFamilies as IPFamily[],
    addressType: spec.addressType,
    publishNotReadyAddresses: spec.publishNotReadyAddresses,
    headless: spec.headless,
    annotations: topologyAnnotations(spec),
    ...(spec.trafficDistribution !== undefined ? { trafficDistribution: spec.trafficDistribution } : {}),
    clusterIPNone: spec.headless,
    selector: spec.selector,
    // Services are created at time 0: the controllers' first sync carries that trigger time.
    creationTime: micros(0),
  };
}

/** A pod that no node has room for yet: it waits, Pending, until a pod is removed (as an unschedulable pod would). */
export class ClusterFullError extends Error {}

/**
 * Creates pods for services: names, UIDs, node placement and pod IPs from the node's CIDR. Placement
 * is round-robin over the nodes, skipping nodes already holding as many pods as they can (podsPerNode);
 * when every node is full a new pod waits unscheduled (no node) and is bound when a pod is removed.
 */
export class PodFactory {
  private seq = 0;
  private nextNode = 0;
  /** Per node: pods bound to it (not yet removed), and its host numbers in use (made when it gets its first pod). */
  private readonly bound: Int32Array;
  /** One bit per node with room for another pod: placement skips full nodes 32 at a time. */
  private readonly roomy: Uint32Array;
  private readonly hostsUsed: (Uint8Array | undefined)[] = [];
  private readonly capacity: number;
  private readonly lastHost: number;
  /** Host numbers a node uses: 1 .. min(capacity, lastHost) + 1 (lowest free first). */
  private readonly hostSpan: number;
  private free: number;
  private readonly templateHash: string[];
  /**
   * Each bound pod's node index and host number as node * hostSpan + host (host 0 until it has
   * addresses): where to take its IPs from, and what to free when it is gone. No name lookup.
   */
  private readonly slots = new WeakMap<Pod, number>();
  /** Pods waiting for a node, oldest first, with what to do once bound. */
  private readonly waiting: { pod: Pod; bound: (nodeName: string) => void }[] = [];
  private readonly unbound = new WeakSet<Pod>();
  /**
   * Suffixes handed out so far per name prefix (namespace/deployment-hash-): the API server never
   * gives two pods the same generated name. Suffixes are kept as numbers (5 letters of a 27-letter
   * alphabet), which makes the check a small-integer lookup instead of hashing a new name string.
   */
  private readonly suffixes = new Map<string, Set<number>>();
  /** Each service's container ports, shared by all its pods (pods never change them). */
  private readonly containerPorts: readonly ContainerPort[][];

  constructor(
    private readonly rng: Rng,
    private readonly nodes: readonly Node[],
    private readonly services: readonly Service[],
    private readonly specs: readonly ServiceSpec[],
    private readonly maskSize = 24,
    maxPodsPerNode = 110,
  ) {
    this.capacity = podsPerNode(maskSize, maxPodsPerNode);
    this.lastHost = 2 ** (32 - maskSize) - 2;
    this.hostSpan = Math.min(this.capacity, this.lastHost) + 2;
    this.bound = new Int32Array(nodes.length);
    this.roomy = new Uint32Array(Math.ceil(nodes.length / 32));
    if (this.capacity > 0) for (let i = 0; i < nodes.length; i++) this.roomy[i >>> 5] |= 1 << (i & 31);
    this.free = this.capacity * nodes.length;
    this.templateHash = services.map(() => randomString(rng, 10));
    this.containerPorts = specs.map((s) => s.pod.containerPorts.map((c) => ({ ...c })));
    this.zones = specs.map((s) => (s.zones ? new Set(s.zones) : undefined));
  }

  /** Per service: the zones its pods may run in (a node affinity on topology.kubernetes.io/zone), or any. */
  private readonly zones: (ReadonlySet<string> | undefined)[];

  /** A new revision of the service's pod template (a rollout): new pods get a new hash. */
  newRevision(service: number): void {
    this.templateHash[service] = randomString(this.rng, 10);
  }

  /**
   * The next node in turn with room for a pod (and, with zones, in one of the service's zones: load.ts
   * checks they have nodes), or -1 when every such node is full.
   */
  private pickNode(service: number): number {
    if (this.free === 0) return -1;
    const start = this.nextNode % this.nodes.length;
    // In turn from `start`: first the nodes after it, then those before it.
    let node = this.nextFit(service, start, this.nodes.length);
    if (node < 0) node = this.nextFit(service, 0, start);
    if (node >= 0) this.nextNode = node + 1;
    return node;
  }

  /** The first node in [from, to) with room and in one of the service's zones, or -1. */
  private nextFit(service: number, from: number, to: number): number {
    const zones = this.zones[service];
    for (let node = this.nextWithRoom(from, to); node >= 0; node = this.nextWithRoom(node + 1, to)) {
      if (!zones || zones.has(this.nodes[node].zone)) return node;
    }
    return -1;
  }

  /** The first node in [from, to) with room, or -1. */
  private nextWithRoom(from: number, to: number): number {
    const roomy = this.roomy;
    for (let w = from >>> 5, mask = ~0 << (from & 31); w << 5 < to; w++, mask = ~0) {
      const bits = roomy[w] & mask;
      if (bits !== 0) {
        const node = (w << 5) + 31 - Math.clz32(bits & -bits);
        return node < to ? node : -1;
      }
    }
    return -1;
  }

  private setRoom(node: number): void {
    if (this.bound[node] < this.capacity) this.roomy[node >>> 5] |= 1 << (node & 31);
    else this.roomy[node >>> 5] &= ~(1 << (node & 31));
  }

  private bind(pod: Pod, node: number): string {
    this.bound[node]++;
    this.setRoom(node);
    this.free--;
    this.slots.set(pod, node * this.hostSpan);
    return this.nodes[node].name;
  }

  /** A new pod, bound to a node if one has room (else nodeName '' until `whenBound` runs). */
  create(service: number): Pod {
    const svc = this.services[service];
    const prefix = `${svc.name}-${this.templateHash[service]}-`;
    const prefixKey = `${svc.namespace}/${prefix}`;
    let used = this.suffixes.get(prefixKey);
    if (!used) this.suffixes.set(prefixKey, (used = new Set()));
    let code: number;
    do code = randomCode(this.rng, 5);
    while (used.has(code));
    used.add(code);
    const name = prefix + codeString(code, 5);
    const pod: Pod = {
      key: `${svc.namespace}/${name}`,
      namespace: svc.namespace,
      name,
      uid: uuid(this.rng),
      service,
      seq: this.seq++,
      // Set later in the pod's life; present from the start so that every field sits in the object
      // itself (fields added afterwards would need a property store of their own per pod).
      creationTime: undefined,
      readyTransitionTime: undefined,
      nodeName: '',
      podIPs: [],
      phase: 'Pending',
      ready: false,
      deletionTimestamp: null as Micros | null,
      hostname: '',
      subdomain: '',
      containerPorts: this.containerPorts[service],
      resourceVersion: 1,
    };
    const node = this.pickNode(service);
    if (node >= 0) pod.nodeName = this.bind(pod, node);
    else this.unbound.add(pod);
    return pod;
  }

  /**
   * Runs `start` now if the pod has a node; else `bound(nodeName)` once a removed pod makes room (the
   * caller sets the pod's nodeName through the pod store, so the change is announced).
   */
  whenBound(pod: Pod, start: () => void, bound: (nodeName: string) => void): void {
    if (!this.unbound.has(pod)) start();
    else this.waiting.push({ pod, bound });
  }

  /** Whether pods wait for a node (every node they may use is full). */
  anyWaiting(): boolean {
    return this.waiting.length > 0;
  }

  /** Whether `pod` has no node yet. */
  isUnbound(pod: Pod): boolean {
    return this.unbound.has(pod);
  }

  /**
   * The replace model's new pod, when pods are waiting: it goes first in line, so the place its
   * predecessor frees in the same instant is its own (a swap, not a queue).
   */
  firstInLine(pod: Pod, bound: (nodeName: string) => void): void {
    if (this.unbound.has(pod)) this.waiting.unshift({ pod, bound });
  }

  /** A pod that must be running now (time 0, the replace model): refused when no node has room. */
  requireBound(pod: Pod): void {
    if (this.unbound.has(pod)) throw new ClusterFullError(`every node holds ${this.capacity} pods (cluster.podCIDRMaskSize, cluster.maxPodsPerNode): no room for pod ${pod.key}`);
  }

  /** The IPs the kubelet reports: one per service family from the node's pod CIDR (lowest free host from .2, .1 last). */
  assignIPs(pod: Pod): string[] {
    const node = Math.floor(this.slots.get(pod)! / this.hostSpan);
    const used = (this.hostsUsed[node] ??= new Uint8Array(this.hostSpan));
    let host = 2;
    while (host < used.length && host <= this.lastHost && used[host]) host++;
    if (host >= used.length || host > this.lastHost) host = 1;
    used[host] = 1;
    this.slots.set(pod, node * this.hostSpan + host);
    const families = this.services[pod.service].ipFamilies;
    return families.map((f) => (f === 'IPv4' ? podIPv4(node, host, this.maskSize) : podIPv6(node, host)));
  }

  /** The pod is gone: its addresses and its place on the node are free; the oldest waiting pod takes the place. */
  releaseIPs(pod: Pod): void {
    if (this.unbound.delete(pod)) {
      const i = this.waiting.findIndex((w) => w.pod === pod);
      if (i >= 0) this.waiting.splice(i, 1);
      return;
    }
    const slot = this.slots.get(pod);
    if (slot === undefined) return;
    this.slots.delete(pod);
    const node = Math.floor(slot / this.hostSpan);
    if (slot % this.hostSpan) this.hostsUsed[node]![slot % this.hostSpan] = 0;
    this.bound[node]--;
    this.setRoom(node);
    this.free++;
    // The oldest waiting pod not already being deleted takes the place (deleted ones just go away).
    let next = this.waiting.shift();
    while (next && next.pod.deletionTimestamp !== null) next = this.waiting.shift();
    if (next) {
      this.unbound.delete(next.pod);
      next.bound(this.bind(next.pod, node));
    }
  }
}
