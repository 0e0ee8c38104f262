// The EndpointSlice controller's wiring: turns pods into desired endpoints (podToEndpoint), keeps the
// informer's view of each service's slices (SliceIndex), runs the reconciler on
// the changed keys and sends its creates, updates and deletes.
import type { Micros } from '../../engine/time.js';
import { findPort, podAddress, shouldPodBeInEndpoints, shouldSetHostname, type AddressType, type Pod, type Service } from '../../model/cluster.js';
import { EndpointSlice, makeEndpoint, SLICE_API_VERSION, type EndpointPort } from '../../model/endpointslice.js';
import { ANNOTATION_TRIGGER_TIME } from '../../model/endpoints.js';
import { managedFieldsEntry } from '../../model/managed-fields.js';
import { rfc3339Nano, type ObjectMeta } from '../../model/meta.js';
import type { SizeModel } from '../../model/sizes.js';
import type { WriteCandidate } from '../../apiserver/store.js';
import { ServiceController, type ControllerContext, type PlannedWrite } from '../runtime.js';
import { reconcileSlices, type DesiredEndpoint } from './reconciler.js';
import { SliceIndex } from './slice-index.js';
import { usesHints, type HintOptions } from './hints.js';
import type { TopologyNode } from './topologycache/nodes.js';
import type { Node } from '../../model/cluster.js';

/** The nodes as the topology cache reads them (absent fields: Ready, no CPU, not control plane). */
export function topologyNodes(nodes: Iterable<Node>): TopologyNode[] {
  return [...nodes].map((n) => ({ name: n.name, zone: n.zone, allocatableMilliCPU: n.allocatableMilliCPU ?? 0, ready: n.ready ?? true, controlPlane: n.controlPlane ?? false }));
}
import { micros } from '../../engine/time.js';

/** getEndpointPorts: each service port resolved against the pod (named ports per pod). */
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

/** podToEndpoint for one address type, or undefined when the pod has no place in the slices. */
export function desiredEndpoint(service: Service, pod: Pod | undefined, addressType: AddressType, nodeZone: (node: string) => string | undefined): DesiredEndpoint | undefined {
  if (!pod || !shouldPodBeInEndpoints(pod, true)) return undefined;
  const zone = nodeZone(pod.nodeName);
  if (zone === undefined && !service.publishNotReadyAddresses) return undefined; // node not found
  const address = podAddress(pod, addressType);
  if (address === undefined) return undefined;
  const serving = pod.ready;
  const terminating = pod.deletionTimestamp !== null;
  const endpoint = makeEndpoint(pod.key, {
    addresses: [address],
    conditions: { ready: service.publishNotReadyAddresses || (serving && !terminating), serving, terminating },
    ...(shouldSetHostname(pod, service) ? { hostname: pod.hostname } : {}),
    targetRef: { kind: 'Pod', namespace: pod.namespace, name: pod.name, uid: pod.uid },
    ...(pod.nodeName ? { nodeName: pod.nodeName } : {}),
    ...(zone ? { zone } : {}),
  });
  return { endpoint, ports: endpointPorts(service, pod) };
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

  constructor(
    ctx: ControllerContext,
    private readonly sizes: SizeModel,
    maxEndpointsPerSlice: number,
    batchPeriod: Micros,
    private readonly topology?: SliceTopology,
  ) {
    super(ctx, batchPeriod, micros(1e6));
    this.slices = ctx.services.map((s) => new SliceIndex(s, maxEndpointsPerSlice));
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
    const writes = reconcileSlices({
      service,
      index: cache,
      changed,
      desired: (key, addressType) => desiredEndpoint(service, this.ctx.pods.get(index, key), addressType, (n) => nodes.get(n)?.zone),
      // SIM: services that never carry hints skip the hints step (no slice of theirs can hold any).
      hints: this.topology && usesHints(service, this.topology.hints) ? this.topology.hints : undefined,
    });
    const hintOnly = new Set(writes.hintOnlyUpdates);
    const annotate = (s: EndpointSlice): EndpointSlice => {
      const annotations = { ...s.metadata.annotations };
      if (triggerTime !== undefined) annotations[ANNOTATION_TRIGGER_TIME] = rfc3339Nano(triggerTime);
      else delete annotations[ANNOTATION_TRIGGER_TIME];
      return s.with({ metadata: { ...s.metadata, annotations } });
    };
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
      if (r.ok) cache.set(r.stored.name, r.stored.object as EndpointSlice);
      return r;
    };
    return [
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
          const r = this.ctx.api.delete('EndpointSlice', service.namespace, s.name, triggerTime);
          if (r.ok) cache.set(s.name, undefined);
          return r;
        },
      })),
    ];
  }
}
