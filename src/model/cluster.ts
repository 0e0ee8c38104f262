// The cluster objects the controllers read: Services, Pods and Nodes, in the simulator's own compact
// form (only the fields the endpoint controllers look at). Kubernetes names throughout.
import type { Micros } from '../engine/time.js';
import { canonicalIP } from './ip.js';

/** core/v1 IsHeadlessService: set on endpoint objects of a service without a cluster IP. */
export const LABEL_HEADLESS = 'service.kubernetes.io/headless';

export type IPFamily = 'IPv4' | 'IPv6';
export type AddressType = IPFamily | 'FQDN';

export interface ServicePort {
  name: string;
  protocol: string;
  port: number;
  /** Resolved against the pod's container ports when a string (a named port). */
  targetPort: number | string;
  appProtocol?: string;
}

export interface Service {
  namespace: string;
  name: string;
  uid: string;
  labels: Record<string, string>;
  ports: ServicePort[];
  ipFamilies: IPFamily[];
  /** IP: slices per family in ipFamilies; FQDN: one FQDN slice set. */
  addressType: 'IP' | 'FQDN';
  publishNotReadyAddresses: boolean;
  /** clusterIP None or empty: no kube-proxy watches its endpoints. */
  headless: boolean;
  /** spec.clusterIP is exactly "None" (a headless Service without ports still gets an Endpoints subset). */
  clusterIPNone?: boolean;
  /** spec.selector is set: without one, the controllers write nothing (endpoints come from elsewhere). */
  selector: boolean;
  /** spec.type ExternalName: the controllers write nothing. */
  externalName?: boolean;
  /** metadata.deletionTimestamp is set: the EndpointSlice controller creates nothing (finalize). */
  deleting?: boolean;
  /** spec.ipFamilies was empty on a headless Service: the Endpoints controller takes the family of status.podIP. */
  ipFamiliesDefaulted?: boolean;
  /** metadata.creationTimestamp (µs): the trigger time of the controllers' first sync of the Service. */
  creationTime?: Micros;
  /** metadata.annotations (the topology-mode annotations are read from it). */
  annotations?: Record<string, string>;
  /** spec.trafficDistribution, as stored (absent when unset or dropped by a disabled gate). */
  trafficDistribution?: string;
}

export interface ContainerPort {
  name: string;
  containerPort: number;
  protocol: string;
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

export interface Pod {
  /** namespace/name, the informer key. */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  /** Index of the service whose selector matches it. */
  readonly service: number;
  /** Creation order, used wherever Kubernetes' order would be arbitrary. */
  readonly seq: number;
  /** metadata.creationTimestamp (µs). */
  creationTime?: Micros;
  nodeName: string;
  /** status.podIPs, primary family first, as the kubelet wrote them; empty until reported. */
  podIPs: string[];
  /** status.podIP when given apart from podIPs (real objects only): it counts for inclusion, not as an address. */
  podIP?: string;
  phase: PodPhase;
  /** The Ready condition. */
  ready: boolean;
  /** The Ready condition's lastTransitionTime (µs); undefined while the pod has no Ready condition. */
  readyTransitionTime?: Micros;
  deletionTimestamp: Micros | null;
  hostname: string;
  subdomain: string;
  containerPorts: ContainerPort[];
  /** Ports of init containers with restartPolicy Always (sidecars), which FindPort also searches. */
  sidecarPorts?: ContainerPort[];
  /** Bumped on every change, like metadata.resourceVersion. */
  resourceVersion: number;
}

export interface Node {
  name: string;
  /** topology.kubernetes.io/zone label, '' when unset. */
  zone: string;
  /** status.allocatable.cpu in millicores (absent: unknown, as 0). */
  allocatableMilliCPU?: number;
  /** The Ready condition (absent: Ready). */
  ready?: boolean;
  /** Labelled node-role.kubernetes.io/control-plane or master: left out of topology capacity. */
  controlPlane?: boolean;
}

/** Each pod's ObjectReference, made once (its kind, namespace, name and uid never change): endpoints of both models share it. */
const podReferences = new WeakMap<Pod, { kind: string; namespace: string; name: string; uid: string }>();

/** The targetRef the endpoint controllers write for a pod: kind Pod, its namespace, name and uid (never mutate it). */
export function podReference(pod: Pod): { kind: string; namespace: string; name: string; uid: string } {
  let ref = podReferences.get(pod);
  if (!ref) podReferences.set(pod, (ref = { kind: 'Pod', namespace: pod.namespace, name: pod.name, uid: pod.uid }));
  return ref;
}

/** Services of both IP families; the FQDN address type has no family of its own. */
export function addressTypesFor(service: Service): AddressType[] {
  return service.addressType === 'FQDN' ? ['FQDN'] : [...service.ipFamilies];
}

/**
 * getEndpointAddresses (k8s.io/endpointslice utils.go): every status.podIPs entry of the address type's
 * family, parsed and written canonical (ParseIPSloppy(ip).String()); status.podIP alone gives none.
 * SIM: FQDN slices hold one name per pod (upstream's controller writes no FQDN slices at all).
 */
export function podAddresses(pod: Pod, addressType: AddressType): readonly string[] {
  if (addressType === 'FQDN') return pod.podIPs.length ? [`${pod.name}.${pod.namespace}.pod`] : [];
  let lists = familyAddresses.get(pod.podIPs);
  if (!lists) familyAddresses.set(pod.podIPs, (lists = [canonicalOf(pod.podIPs, false), canonicalOf(pod.podIPs, true)]));
  return lists[addressType === 'IPv6' ? 1 : 0];
}

/**
 * Each status.podIPs list's canonical addresses per family (IPv4, IPv6), made once: a controller asks
 * on every change of the pod, and every endpoint made for the pod shares the list (never mutated). A
 * pod's IPs are replaced, never changed in place, so the list itself is the key.
 */
const familyAddresses = new WeakMap<readonly string[], [v4: readonly string[], v6: readonly string[]]>();

function canonicalOf(ips: readonly string[], v6: boolean): readonly string[] {
  const out: string[] = [];
  for (const ip of ips) if (ip.includes(':') === v6) out.push(canonicalIP(ip) ?? ip);
  // The usual pod: its one IP, already canonical, is the list (no array of its own).
  if (out.length === 1 && ips.length === 1 && out[0] === ips[0]) return ips;
  return out.length === 1 ? [out[0]] : out;
}

/** ShouldPodBeInEndpoints (util/controller_utils.go): not terminal, an IP in podIP or podIPs, terminating only if asked. */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if (pod.phase === 'Succeeded' || pod.phase === 'Failed') return false;
  if (pod.podIPs.length === 0 && !pod.podIP) return false;
  if (!includeTerminating && pod.deletionTimestamp !== null) return false;
  return true;
}

/** endpointutil.ShouldSetHostname: hostname set and the pod's subdomain is the service name. */
export function shouldSetHostname(pod: Pod, service: Service): boolean {
  return pod.hostname !== '' && pod.subdomain === service.name && service.namespace === pod.namespace;
}

/**
 * FindPort (k8s.io/endpointslice utils.go, podutil.FindPort): a numeric targetPort as is; a named one
 * from the containers' ports, then from sidecars (init containers with restartPolicy Always), matching
 * name and protocol.
 */
export function findPort(pod: Pod, port: ServicePort): number | undefined {
  if (typeof port.targetPort === 'number') return port.targetPort;
  const match = (c: ContainerPort) => c.name === port.targetPort && c.protocol === port.protocol;
  return (pod.containerPorts.find(match) ?? pod.sidecarPorts?.find(match))?.containerPort;
}
