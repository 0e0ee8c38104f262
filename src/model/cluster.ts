// The cluster objects the controllers read: Services, Pods and Nodes, in the simulator's own compact
// form (only the fields the endpoint controllers look at). Kubernetes names throughout.
import type { Micros } from '../engine/time.js';

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
  /** clusterIP None: no kube-proxy watches its endpoints. */
  headless: boolean;
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
  nodeName: string;
  /** status.podIPs, primary family first; empty until the kubelet reports them. */
  podIPs: string[];
  phase: PodPhase;
  /** The Ready condition. */
  ready: boolean;
  deletionTimestamp: Micros | null;
  hostname: string;
  subdomain: string;
  containerPorts: ContainerPort[];
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

/** Services of both IP families; the FQDN address type has no family of its own. */
export function addressTypesFor(service: Service): AddressType[] {
  return service.addressType === 'FQDN' ? ['FQDN'] : [...service.ipFamilies];
}

/** The pod's address for an address type: first pod IP of that family (FQDN: hostname.subdomain). */
export function podAddress(pod: Pod, addressType: AddressType): string | undefined {
  if (addressType === 'FQDN') return pod.podIPs.length ? `${pod.name}.${pod.namespace}.pod` : undefined;
  const v6 = addressType === 'IPv6';
  return pod.podIPs.find((ip) => ip.includes(':') === v6);
}

/** podutil.IsPodReady plus the phase rule of ShouldPodBeInEndpoints. */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if (pod.phase === 'Succeeded' || pod.phase === 'Failed') return false;
  if (pod.podIPs.length === 0) return false;
  if (!includeTerminating && pod.deletionTimestamp !== null) return false;
  return true;
}

/** endpointutil.ShouldSetHostname: hostname set and the pod's subdomain is the service name. */
export function shouldSetHostname(pod: Pod, service: Service): boolean {
  return pod.hostname !== '' && pod.subdomain === service.name && service.namespace === pod.namespace;
}

/** podutil.FindPort: a numeric targetPort as is, a named one from the pod's container ports. */
export function findPort(pod: Pod, port: ServicePort): number | undefined {
  if (typeof port.targetPort === 'number') return port.targetPort;
  const found = pod.containerPorts.find((c) => c.name === port.targetPort && c.protocol === port.protocol);
  return found?.containerPort;
}
