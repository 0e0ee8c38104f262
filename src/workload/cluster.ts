// Builds the simulated cluster: nodes spread round-robin over zones, realistic names (so that real
// encodings have real lengths), per-node pod CIDRs, and pods placed on nodes in turn.
import type { Rng } from '../engine/rng.js';
import type { Micros } from '../engine/time.js';
import type { ContainerPort, IPFamily, Node, Pod, Service } from '../model/cluster.js';
import { codeString, randomCode, randomString, uuid } from '../apiserver/names.js';
import type { ResolvedScenario as Scenario, ResolvedServiceSpec as ServiceSpec } from '../scenario/resolve.js';

// Pod names as the ReplicaSet controller makes them: <deployment>-<10-char template hash>-<5-char suffix>.

/** EKS-style node names: ip-10-0-<a>-<b>.ec2.internal. */
/** The first `cluster.controlPlaneNodes` nodes are control-plane nodes; each node's CPU is `cluster.nodeCPU` (per zone when a map). */
export function buildNodes(scenario: Scenario): Node[] {
  const { zones, nodeCPU, controlPlaneNodes } = scenario.cluster;
  return Array.from({ length: scenario.cluster.nodes }, (_, i) => {
    const zone = zones.length ? zones[i % zones.length] : '';
    const cores = typeof nodeCPU === 'number' ? nodeCPU : (nodeCPU[zone] ?? 0);
    // SIM: no taints: pods are placed on control-plane nodes too (scenarios keep controlPlaneNodes at 0 or accept it).
    return { name: `ip-10-0-${(i >> 8) & 255}-${i & 255}.ec2.internal`, zone, allocatableMilliCPU: Math.round(cores * 1000), ready: true, controlPlane: i < controlPlaneNodes };
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
  };
}

/** Creates pods for services: names, UIDs, node placement (round-robin) and pod IPs from the node's CIDR. */
export class PodFactory {
  private seq = 0;
  private nextNode = 0;
  private readonly hostsUsed: Uint8Array[];
  private readonly templateHash: string[];
  private readonly nodeIndex: Map<string, number>;
  /** The node and host number of each pod's addresses, to free them when the pod is gone. */
  private readonly slots = new WeakMap<Pod, [number, number]>();
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
  ) {
    this.hostsUsed = nodes.map(() => new Uint8Array(256));
    this.nodeIndex = new Map(nodes.map((n, i) => [n.name, i]));
    this.templateHash = services.map(() => randomString(rng, 10));
    this.containerPorts = specs.map((s) => s.pod.containerPorts.map((c) => ({ ...c })));
    this.zones = specs.map((s) => (s.zones ? new Set(s.zones) : undefined));
  }

  /** Per service: the zones its pods may run in (a node affinity on topology.kubernetes.io/zone), or any. */
  private readonly zones: (ReadonlySet<string> | undefined)[];

  /** The next node in turn; with zones, the next one in those zones (load.ts checks they have nodes). */
  private placeNode(service: number): number {
    const zones = this.zones[service];
    let node = this.nextNode++ % this.nodes.length;
    while (zones && !zones.has(this.nodes[node].zone)) node = this.nextNode++ % this.nodes.length;
    return node;
  }

  /** A new revision of the service's pod template (a rollout): new pods get a new hash. */
  newRevision(service: number): void {
    this.templateHash[service] = randomString(this.rng, 10);
  }

  create(service: number): Pod {
    const svc = this.services[service];
    const node = this.placeNode(service);
    const prefix = `${svc.name}-${this.templateHash[service]}-`;
    const prefixKey = `${svc.namespace}/${prefix}`;
    let used = this.suffixes.get(prefixKey);
    if (!used) this.suffixes.set(prefixKey, (used = new Set()));
    let code: number;
    do code = randomCode(this.rng, 5);
    while (used.has(code));
    used.add(code);
    const name = prefix + codeString(code, 5);
    return {
      key: `${svc.namespace}/${name}`,
      namespace: svc.namespace,
      name,
      uid: uuid(this.rng),
      service,
      seq: this.seq++,
      nodeName: this.nodes[node].name,
      podIPs: [],
      phase: 'Pending',
      ready: false,
      deletionTimestamp: null as Micros | null,
      hostname: '',
      subdomain: '',
      containerPorts: this.containerPorts[service],
      resourceVersion: 1,
    };
  }

  /** The IPs the kubelet reports: one per service family from the node's pod CIDR. */
  assignIPs(pod: Pod): string[] {
    const node = this.nodeIndex.get(pod.nodeName) ?? -1;
    const used = this.hostsUsed[node];
    let host = 2;
    while (host < 255 && used[host]) host++;
    if (host === 255) throw new Error(`node ${pod.nodeName} has no free pod IPs (more than 253 pods)`);
    used[host] = 1;
    this.slots.set(pod, [node, host]);
    const families = this.services[pod.service].ipFamilies;
    return families.map((f) => (f === 'IPv4' ? `10.${64 + (node >> 8)}.${node & 255}.${host}` : `fd00:10:244:${node.toString(16)}::${host.toString(16)}`));
  }

  releaseIPs(pod: Pod): void {
    const slot = this.slots.get(pod);
    if (!slot) return;
    this.hostsUsed[slot[0]][slot[1]] = 0;
    this.slots.delete(pod);
  }
}
