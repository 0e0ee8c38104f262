// The Endpoints controller (pkg/controller/endpoint): one Endpoints object per service holding every
// pod address, ready ones in `addresses`, others in `notReadyAddresses`; terminating pods leave at
// once unless publishNotReadyAddresses; every write is the whole object. Content is kept
// incrementally per pod, and the write decision follows syncService: nothing is written when the
// addresses are unchanged, but an over-capacity object is rewritten on every sync, because upstream
// compares the untruncated addresses with the truncated ones it stored.
import { micros, type Micros } from '../../engine/time.js';
import { findPort, LABEL_HEADLESS, podReference, shouldPodBeInEndpoints, shouldSetHostname, type Pod, type Service } from '../../model/cluster.js';
import { addressesEqual, ANNOTATION_OVER_CAPACITY, ANNOTATION_TRIGGER_TIME, EndpointsContent, makeAddress, type CorePort, type EndpointAddress } from '../../model/endpoints.js';
import { managedFieldsEntry } from '../../model/managed-fields.js';
import { rfc3339Nano, type ObjectMeta } from '../../model/meta.js';
import type { SizeModel } from '../../model/sizes.js';
import type { WriteCandidate } from '../../apiserver/store.js';
import { sharedPortLists } from '../shared-ports.js';
import { ServiceController, type ControllerContext, type PlannedWrite } from '../runtime.js';

export const LABEL_ENDPOINTS_MANAGED_BY = 'endpoints.kubernetes.io/managed-by';

export interface DesiredAddress {
  address: EndpointAddress;
  ports: CorePort[];
  /** JSON of `ports`: the subset it belongs to. */
  portKey: string;
}

/**
 * The address a pod contributes (syncService's pod loop: ShouldPodBeInEndpoints,
 * podToEndpointAddressForService, FindPort per service port, addEndpointSubset), with the port list
 * it serves; undefined when it is in no subset. The IP is the first status.podIPs entry of the
 * Service's first family, copied as written (status.podIP's family when a headless Service has no
 * ipFamilies).
 */
export function desiredAddress(service: Service, pod: Pod | undefined): DesiredAddress | undefined {
  if (!pod || !shouldPodBeInEndpoints(pod, service.publishNotReadyAddresses)) return undefined;
  const v6 = service.ipFamiliesDefaulted ? (pod.podIP ?? pod.podIPs[0] ?? '').includes(':') : service.ipFamilies[0] === 'IPv6';
  const ip = pod.podIPs.find((x) => x.includes(':') === v6);
  if (ip === undefined) return undefined;
  const shared = sharedPorts(service);
  const ports = shared ? shared.ports : podPorts(service, pod);
  // No port resolved: no subset. A Service without ports gets one only when its clusterIP is None.
  if (ports.length === 0 && (service.ports.length > 0 || !service.clusterIPNone)) return undefined;
  const address = podAddress(pod, ip, shouldSetHostname(pod, service) ? pod.hostname : '', service.publishNotReadyAddresses || pod.ready);
  return { address, ports, portKey: shared ? shared.portKey : JSON.stringify(ports) };
}

/** FindPort for each service port (addEndpointSubset's ports). */
function podPorts(service: Service, pod: Pod): CorePort[] {
  const ports: CorePort[] = [];
  for (const sp of service.ports) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    ports.push({ name: sp.name, port, protocol: sp.protocol, ...(sp.appProtocol !== undefined ? { appProtocol: sp.appProtocol } : {}) });
  }
  return ports;
}

/** A service's port list when no port is named (shared-ports.ts). */
const sharedPorts = sharedPortLists(podPorts, (ports) => JSON.stringify(ports));

/**
 * The pod's address as last made for it, not ready and ready (a pod's readiness flips, the rest rarely
 * changes): a sync re-derives the desired address of every changed pod, and an address object each time
 * would be most of what the controller's syncs leave for the garbage collector. Addresses are never mutated.
 */
const podAddresses = new WeakMap<Pod, [notReady: EndpointAddress | undefined, ready: EndpointAddress | undefined]>();

function podAddress(pod: Pod, ip: string, hostname: string, ready: boolean): EndpointAddress {
  let made = podAddresses.get(pod);
  if (!made) podAddresses.set(pod, (made = [undefined, undefined]));
  const i = ready ? 1 : 0;
  const last = made[i];
  if (last && last.ip === ip && last.hostname === hostname && last.nodeName === pod.nodeName) return last;
  return (made[i] = makeAddress(pod.key, { ip, hostname, nodeName: pod.nodeName, targetRef: podReference(pod), ready }));
}

/** What the Endpoints controller's behaviour depends on (scenario keys the version profile sets). */
export interface EndpointsConfig {
  /** maxCapacity; 0 = none (before 1.21). */
  maxEndpoints: number;
  /** Above maxEndpoints: truncate with `over-capacity: truncated` (1.22+) or only annotate `warning` (1.21). */
  overCapacity: 'truncate' | 'warning';
  /** endpoints.kubernetes.io/managed-by=endpoint-controller (1.33+). */
  managedByLabel: boolean;
}

export const DEFAULT_ENDPOINTS_CONFIG: EndpointsConfig = { maxEndpoints: 1000, overCapacity: 'truncate', managedByLabel: true };

export function endpointsLabels(service: Service, managedByLabel = true): Record<string, string> {
  const labels: Record<string, string> = { ...service.labels };
  if (managedByLabel) labels[LABEL_ENDPOINTS_MANAGED_BY] = 'endpoint-controller';
  if (service.headless) labels[LABEL_HEADLESS] = '';
  return labels;
}

/** A pod's entry as the last successful write stored it (null: it had none). */
type StoredEntry = { address: EndpointAddress; ports: readonly CorePort[]; portKey: string } | null;

/** capacityAnnotationSetCorrectly: whether the over-capacity state alone makes syncService write. */
function capacityWrite(config: Pick<EndpointsConfig, 'maxEndpoints' | 'overCapacity'>, total: number, lastOverCapacity: boolean): boolean {
  const overCapacity = config.maxEndpoints > 0 && total > config.maxEndpoints;
  // A truncated object never equals the untruncated addresses (1.22+); a warned one is rewritten only
  // when the warning must come or go (1.21).
  return config.overCapacity === 'truncate' ? overCapacity || lastOverCapacity : overCapacity !== lastOverCapacity;
}

export class EndpointsController extends ServiceController {
  /**
   * Per service: the desired addresses, untruncated, as of the last attempt (written or not). A sync
   * applies only the pods changed since the last attempt, so a refused write's retry costs what
   * changed since then, not the whole object.
   */
  private readonly content: EndpointsContent[];
  /** Per service: pods whose entry differs from the last successful write, with what that write held. */
  private readonly unwritten: Map<string, StoredEntry>[];
  private readonly exists: boolean[];
  /** Per service: whether the last write was over capacity (truncated, or annotated with a warning). */
  private readonly truncated: boolean[];
  /** The cap as measure() applies it: maxEndpoints when truncating, 0 (none) when only warning. */
  private readonly maxEndpoints: number;

  constructor(
    ctx: ControllerContext,
    private readonly sizes: SizeModel,
    private readonly config: EndpointsConfig,
    batchPeriod: Micros,
  ) {
    super(ctx, batchPeriod, micros(5000), false);
    this.content = ctx.services.map(() => new EndpointsContent());
    this.unwritten = ctx.services.map(() => new Map());
    this.exists = ctx.services.map(() => false);
    this.truncated = ctx.services.map(() => false);
    this.maxEndpoints = config.overCapacity === 'truncate' ? config.maxEndpoints : 0;
  }

  /** Brings the desired content up to date with the changed pods; keeps what the last write stored. */
  private applyChanges(index: number, changed: readonly string[]): void {
    const service = this.ctx.services[index];
    const content = this.content[index];
    const unwritten = this.unwritten[index];
    for (const key of changed) {
      const desired = desiredAddress(service, this.ctx.pods.get(index, key));
      const current = content.get(key);
      if (!desired && !current) continue;
      if (desired && current && addressesEqual(desired.address, current.address) && desired.portKey === current.group.portKey) continue;
      if (!unwritten.has(key)) unwritten.set(key, current ? { address: current.address, ports: current.group.ports, portKey: current.group.portKey } : null);
      content.set(key, desired?.address, desired?.ports ?? [], desired?.portKey);
      const stored = unwritten.get(key);
      const backToStored = stored === null ? !desired : desired !== undefined && addressesEqual(stored!.address, desired.address) && stored!.portKey === desired.portKey;
      if (backToStored) unwritten.delete(key);
    }
  }

  protected plan(index: number, changed: readonly string[], triggerTime: Micros | undefined): PlannedWrite[] {
    const service = this.ctx.services[index];
    // Selector-less and ExternalName Services get nothing from this controller.
    if (!service.selector || service.externalName) return [];
    const content = this.content[index];
    this.applyChanges(index, changed);
    // Over capacity is counted in the repacked subsets (a pod counts once per subset it is in).
    const write = !this.exists[index] || this.unwritten[index].size > 0 || capacityWrite(this.config, content.addressCount(), this.truncated[index]);
    if (!write) return [];
    return [
      {
        apply: () => {
          const measure = content.measure(this.maxEndpoints);
          const annotations: Record<string, string> = {};
          if (triggerTime !== undefined) annotations[ANNOTATION_TRIGGER_TIME] = rfc3339Nano(triggerTime);
          if (measure.truncated) annotations[ANNOTATION_OVER_CAPACITY] = 'truncated';
          else if (this.config.overCapacity === 'warning' && this.config.maxEndpoints > 0 && measure.addresses > this.config.maxEndpoints) annotations[ANNOTATION_OVER_CAPACITY] = 'warning';
          const candidate: WriteCandidate<null> = {
            kind: 'Endpoints',
            namespace: service.namespace,
            name: service.name,
            labels: endpointsLabels(service, this.config.managedByLabel),
            tracksGeneration: false,
            triggerTime,
            build: (m) => {
              const base: ObjectMeta = { name: m.name, namespace: service.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp, labels: endpointsLabels(service, this.config.managedByLabel), annotations };
              // managedFields only matter to sizes measured from metadata.
        const metadata = m.managedFieldsTime && this.sizes.measuresMetadata ? { ...base, managedFields: [managedFieldsEntry(base, 'v1', m.managedFieldsTime, ['subsets'])] } : base;
              return { object: null, sizes: this.sizes.endpoints(metadata, measure) };
            },
          };
          const r = this.exists[index] ? this.ctx.api.update(candidate) : this.ctx.api.create(candidate);
          if (r.ok) {
            // The controller keeps its own content; the informer's lag only makes the next sync stale.
            this.whenVisible(index, () => {});
            this.unwritten[index].clear();
            this.exists[index] = true;
            this.truncated[index] = measure.truncated || annotations[ANNOTATION_OVER_CAPACITY] === 'warning';
          }
          return r;
        },
      },
    ];
  }
}
