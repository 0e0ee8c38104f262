// Builds the simulated cluster: nodes spread round-robin over zones, realistic names (so that real
// encodings have real lengths), per-node pod CIDRs, and pods placed on nodes in turn.
import type { Rng } from '../engine/rng.js';
import { micros, type Micros } from '../engine/time.js';
import type { IPFamily, Node, Pod, Service } from '../model/cluster.js';
import { randomString, uuid } from '../apiserver/names.js';
import type { ResolvedScenario as Scenario, ResolvedServiceSpec as ServiceSpec } from '../scenario/resolve.js';

// Pod names as the ReplicaSet controller makes them: <deployment>-<10-char template hash>-<5-char suffix>.

/** EKS-style node names: ip-10-0-<a>-<b>.ec2.internal. */
export function buildNodes(scenario: Scenario): Node[] {
  const zones = scenario.cluster.zones;
  return Array.from({ length: scenario.cluster.nodes }, (_, i) => ({
    name: `ip-10-0-${(i >> 8) & 255}-${i & 255}.ec2.internal`,
    zone: zones.length ? zones[i % zones.length] : '',
  }));
}

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
    clusterIPNone: spec.headless,
    selector: spec.selector,
    // Services are created at time 0: the controllers' first sync carries that trigger time.
    creationTime: micros(0),
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
  /** Names handed out so far: the API server never gives two pods the same generated name. */
  private readonly names = new Set<string>();

  constructor(
    private readonly rng: Rng,
    private readonly nodes: readonly Node[],
    private readonly services: readonly Service[],
    private readonly specs: readonly ServiceSpec[],
  ) {
    this.hostsUsed = nodes.map(() => new Uint8Array(256));
    this.nodeIndex = new Map(nodes.map((n, i) => [n.name, i]));
    this.templateHash = services.map(() => randomString(rng, 10));
  }

  /** A new revision of the service's pod template (a rollout): new pods get a new hash. */
  newRevision(service: number): void {
    this.templateHash[service] = randomString(this.rng, 10);
  }

  create(service: number): Pod {
    const svc = this.services[service];
    const node = this.nextNode++ % this.nodes.length;
    let name: string;
    do name = `${svc.name}-${this.templateHash[service]}-${randomString(this.rng, 5)}`;
    while (this.names.has(`${svc.namespace}/${name}`));
    this.names.add(`${svc.namespace}/${name}`);
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
      containerPorts: this.specs[service].pod.containerPorts.map((c) => ({ ...c })),
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
