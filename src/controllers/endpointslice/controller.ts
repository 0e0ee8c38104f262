// The EndpointSlice controller's wiring: turns pods into desired endpoints (podToEndpoint), keeps the
// informer's view of each service's slices (SliceIndex), runs the reconciler on
// the changed keys and sends its creates, updates and deletes.
import type { Micros } from '../../engine/time.js';
import { findPort, podAddresses, podReference, shouldPodBeInEndpoints, shouldSetHostname, type AddressType, type Pod, type Service } from '../../model/cluster.js';
import { EndpointSlice, endpointConditions, makeEndpoint, portMapKey, SLICE_API_VERSION, type EndpointPort } from '../../model/endpointslice.js';
import { ANNOTATION_TRIGGER_TIME } from '../../model/endpoints.js';
import { managedFieldsEntry } from '../../model/managed-fields.js';
import { rfc3339Nano, type ObjectMeta } from '../../model/meta.js';
import type { SizeModel } from '../../model/sizes.js';
import type { WriteCandidate } from '../../apiserver/store.js';
import { ServiceController, type ControllerContext, type PlannedWrite } from '../runtime.js';
import { reconcileSlices, type DesiredEndpoint } from './reconciler.js';
import { SliceIndex } from './slice-index.js';
import { PortMapDemand } from './port-demand.js';
import { usesHints, type HintOptions } from './hints.js';
import type { TopologyNode } from './topologycache/nodes.js';
import type { Node } from '../../model/cluster.js';

/** The nodes as the topology cache reads them (absent fields: Ready, no CPU, not control plane). */
export function topologyNodes(nodes: Iterable<Node>): TopologyNode[] {
  return [...nodes].map((n) => ({ name: n.name, zone: n.zone, allocatableMilliCPU: n.allocatableMilliCPU ?? 0, ready: n.ready ?? true, controlPlane: n.controlPlane ?? false }));
}
import { micros } from '../../engine/time.js';

/** What the EndpointSlice controller's behaviour depends on (scenario keys the version profile sets). */
export interface SliceConfig {
  maxEndpointsPerSlice: number;
  /** EndpointSliceTerminatingCondition (1.22+): serving/terminating set and terminating pods kept. */
  terminatingCondition: boolean;
}

/** getEndpointPorts: each service port resolved against the pod (named ports per pod, sidecars included). */
export function endpointPorts(service: Service, pod: Pod): EndpointPort[] {
  const ports: EndpointPort[] = [];
  for (const sp of service.ports) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    const p: EndpointPort = { name: sp.name, protocol: sp.protocol, port };
    if (sp.appProtocol !== undefined) p.appProtocol = sp.appProtocol;
    ports.push(p);
  }
  return ports;
}

/** A service's port list when no port is named: every pod resolves it alike, so one list (never mutated) serves all. */
const servicePortLists = new WeakMap<Service, { ports: EndpointPort[]; portKey: string } | null>();

function sharedPorts(service: Service): { ports: EndpointPort[]; portKey: string } | null {
  let shared = servicePortLists.get(service);
  if (shared === undefined) {
    const numeric = service.ports.every((sp) => typeof sp.targetPort === 'number');
    const ports = numeric ? endpointPorts(service, {} as Pod) : [];
    servicePortLists.set(service, (shared = numeric ? { ports, portKey: portMapKey(ports) } : null));
  }
  return shared;
}

/**
 * What a pod wants in the slices of one address type (reconcileByAddressType's pod loop and
 * podToEndpoint): undefined when it is not in the endpoints at all (terminal, no IP, terminating
 * before 1.22); else its port list, with an endpoint unless it has no address of the family or its
 * node is not found (publishNotReadyAddresses keeps it, without a zone).
 */
export function desiredEndpoint(
  service: Service,
  pod: Pod | undefined,
  addressType: AddressType,
  node: (name: string) => { zone: string } | undefined,
  terminatingCondition = true,
): DesiredEndpoint | undefined {
  if (!pod || !shouldPodBeInEndpoints(pod, terminatingCondition || service.publishNotReadyAddresses)) return undefined;
  const shared = sharedPorts(service);
  const ports = shared ? shared.ports : endpointPorts(service, pod);
  const desired: DesiredEndpoint = { ports, portKey: shared ? shared.portKey : portMapKey(ports) };
  const n = node(pod.nodeName);
  if (n === undefined && !service.publishNotReadyAddresses) return desired; // node not found
  const addresses = podAddresses(pod, addressType);
  if (addresses.length === 0) return desired;
  const serving = pod.ready;
  const terminating = pod.deletionTimestamp !== null;
  const ready = service.publishNotReadyAddresses || (serving && !terminating);
  const conditions = endpointConditions(ready, terminatingCondition ? serving : undefined, terminatingCondition ? terminating : undefined);
  desired.endpoint = makeEndpoint(pod.key, {
    addresses: addresses.length > 1 ? [...addresses].sort() : addresses, // hashEndpoint sorts them (a copy: the pod's list is shared)
    conditions,
    // Unset fields as undefined, not spread from temporary objects: this runs for every changed pod.
    hostname: shouldSetHostname(pod, service) ? pod.hostname : undefined,
    targetRef: podReference(pod),
    nodeName: pod.nodeName || undefined,
    zone: n?.zone || undefined,
  });
  return desired;
}

/** addTriggerTimeAnnotation: the slice as sent, with the trigger time set, or removed when there is none. */
export function withTriggerTime(s: EndpointSlice, triggerTime: string | undefined): EndpointSlice {
  const annotations = { ...s.metadata.annotations };
  if (triggerTime !== undefined) annotations[ANNOTATION_TRIGGER_TIME] = triggerTime;
  else delete annotations[ANNOTATION_TRIGGER_TIME];
  return s.with({ metadata: { ...s.metadata, annotations } });
}

const SLICE_FIELDS = ['addressType', 'endpoints', 'ports'];

/** Topology hints in the simulation: the options of the hints step and where hint-only writes are counted. */
export interface SliceTopology {
  hints: HintOptions;
  /** A write made only to change hints succeeded. */
  hintWrite(): void;
}

export class EndpointSliceController extends ServiceController {
  /** Per service: the informer's view of its slices, indexed by group and by pod key. */
  private readonly slices: SliceIndex[];
  /** Per service: the port lists its pods want. */
  private readonly demand: PortMapDemand[];

  constructor(
    ctx: ControllerContext,
    private readonly sizes: SizeModel,
    private readonly config: SliceConfig,
    batchPeriod: Micros,
    private readonly topology?: SliceTopology,
  ) {
    super(ctx, batchPeriod, micros(1e6));
    this.slices = ctx.services.map((s) => new SliceIndex(s, config.maxEndpointsPerSlice));
    this.demand = ctx.services.map(() => new PortMapDemand());
    topology?.hints.cache?.setNodes(topologyNodes(ctx.nodes.values()));
  }

  /**
   * checkNodeTopologyDistribution (endpointslice_controller.go): after a node change the topology
   * cache re-reads the nodes and services whose hints now overload a zone are synced again.
   */
  nodesChanged(): void {
    const cache = this.topology?.hints.cache;
    if (!cache) return;
    cache.setNodes(topologyNodes(this.ctx.nodes.values()));
    const overloaded = new Set(cache.getOverloadedServices());
    this.ctx.services.forEach((s, i) => overloaded.has(`${s.namespace}/${s.name}`) && this.queue.add(String(i)));
  }

  protected plan(index: number, changed: readonly string[], triggerTime: Micros | undefined): PlannedWrite[] {
    const service = this.ctx.services[index];
    const nodes = this.ctx.nodes;
    const cache = this.slices[index];
    const batches = reconcileSlices({
      service,
      index: cache,
      demand: this.demand[index],
      changed,
      desired: (key, addressType) => desiredEndpoint(service, this.ctx.pods.get(index, key), addressType, (n) => nodes.get(n), this.config.terminatingCondition),
      // SIM: services that never carry hints skip the hints step (no slice of theirs can hold any).
      hints: this.topology && usesHints(service, this.topology.hints) ? this.topology.hints : undefined,
    });
    const hintOnly = new Set(batches.flatMap((b) => b.hintOnlyUpdates ?? []));
    const trigger = triggerTime === undefined ? undefined : rfc3339Nano(triggerTime);
    const annotate = (s: EndpointSlice) => withTriggerTime(s, trigger);
    const candidate = (s: EndpointSlice): WriteCandidate<EndpointSlice> => ({
      kind: 'EndpointSlice',
      namespace: service.namespace,
      name: s.name,
      generateName: s.metadata.generateName,
      labels: s.metadata.labels ?? {},
      tracksGeneration: true,
      triggerTime,
      build: (m) => {
        const base: ObjectMeta = { ...s.metadata, name: m.name, uid: m.uid, resourceVersion: m.resourceVersion, generation: m.generation, creationTimestamp: m.creationTimestamp };
        // managedFields only matter to sizes measured from metadata.
        const metadata = m.managedFieldsTime && this.sizes.measuresMetadata ? { ...base, managedFields: [managedFieldsEntry(base, SLICE_API_VERSION, m.managedFieldsTime, SLICE_FIELDS)] } : base;
        const object = s.with({ metadata });
        return { object, sizes: this.sizes.slice(object) };
      },
    });
    const stored = (r: ReturnType<PlannedWrite['apply']>) => {
      if (r.ok) this.whenVisible(index, () => cache.set(r.stored.name, r.stored.object as EndpointSlice));
      return r;
    };
    return batches.flatMap((writes) => [
      ...writes.create.map((s) => ({ apply: () => stored(this.ctx.api.create(candidate(annotate(s)))) })),
      ...writes.update.map((s) => ({
        apply: () => {
          const r = stored(this.ctx.api.update(candidate(annotate(s))));
          if (r.ok && hintOnly.has(s.name)) this.topology?.hintWrite();
          return r;
        },
      })),
      ...writes.delete.map((s) => ({
        apply: () => {
          // A DELETED event carries the last stored object, whose trigger time is that of its last
          // write; kube-proxy ignores it (endpointschangetracker.go), so none is passed on.
          const r = this.ctx.api.delete('EndpointSlice', service.namespace, s.name);
          if (r.ok) this.whenVisible(index, () => cache.set(s.name, undefined));
          return r;
        },
      })),
    ]);
  }
}
