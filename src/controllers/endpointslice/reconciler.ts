// The EndpointSlice reconciler (k8s.io/endpointslice reconciler.go), as a pure function from a
// Service, its existing slices and the desired endpoints to the creates, updates and deletes one sync
// makes. It follows upstream step by step, with one difference in cost, not in result: only slices
// holding a changed key are scanned (upstream scans all). With every key marked changed it is the
// full upstream reconcile; `slicesim reconcile` and the tests run it that way.
import { addressTypesFor, type AddressType, type Service } from '../../model/cluster.js';
import {
  CONTROLLER_NAME,
  EndpointSlice,
  endpointsEqual,
  LABEL_MANAGED_BY,
  LABEL_SERVICE_NAME,
  portMapKey,
  type Endpoint,
  type EndpointPort,
} from '../../model/endpointslice.js';
import type { ObjectMeta } from '../../model/meta.js';

export const LABEL_HEADLESS = 'service.kubernetes.io/headless';
const RESERVED_LABELS = new Set([LABEL_SERVICE_NAME, LABEL_MANAGED_BY, LABEL_HEADLESS]);

export interface DesiredEndpoint {
  endpoint: Endpoint;
  ports: EndpointPort[];
}

export interface SliceReconcileInput {
  service: Service;
  maxEndpointsPerSlice: number;
  /** Slices labelled for this service and managed by the controller, in a stable order. */
  existing: readonly EndpointSlice[];
  /** Keys whose desired endpoint may differ from what the slices hold, in change order. */
  changed: readonly string[];
  /** The endpoint a key should have for an address type, or undefined if it should have none. */
  desired(key: string, addressType: AddressType): DesiredEndpoint | undefined;
  /**
   * Names of the slices holding a changed key, when the caller keeps an index; without it every
   * slice is scanned for changed keys (the full upstream cost).
   */
  touched?: ReadonlySet<string>;
}

export interface SliceWrites {
  create: EndpointSlice[];
  update: EndpointSlice[];
  delete: EndpointSlice[];
}

/** setEndpointSliceLabels: the service's labels (reserved keys dropped) plus the controller's own. */
export function desiredSliceLabels(service: Service): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(service.labels)) if (!RESERVED_LABELS.has(k)) labels[k] = v;
  if (service.headless) labels[LABEL_HEADLESS] = '';
  labels[LABEL_SERVICE_NAME] = service.name;
  labels[LABEL_MANAGED_BY] = CONTROLLER_NAME;
  return labels;
}

function sameLabels(a: Readonly<Record<string, string>> = {}, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

export function ownedBy(slice: EndpointSlice, service: Service): boolean {
  return (slice.metadata.ownerReferences ?? []).some((r) => r.uid === service.uid && r.kind === 'Service' && r.apiVersion === 'v1');
}

/** hashEndpoint identity: addresses, hostname and target name (the key carries namespace/name). */
function sameIdentity(a: Endpoint, b: Endpoint): boolean {
  return a.key === b.key && a.hostname === b.hostname && a.addresses.length === b.addresses.length && a.addresses.every((x, i) => x === b.addresses[i]);
}

/** newEndpointSlice: what the controller sends on a create (the server adds name, uid, …). */
export function newEndpointSlice(service: Service, addressType: AddressType, ports: EndpointPort[]): EndpointSlice {
  const metadata: ObjectMeta = {
    generateName: `${service.name}-`,
    namespace: service.namespace,
    labels: desiredSliceLabels(service),
    ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: service.name, uid: service.uid, controller: true, blockOwnerDeletion: true }],
  };
  return new EndpointSlice(metadata, addressType, [], ports);
}

/** getSliceToFill: the unchanged slice that ends closest to full after taking `count` endpoints. */
function sliceToFill(unchanged: readonly EndpointSlice[], count: number, max: number): EndpointSlice | undefined {
  let closestDiff = max;
  let closest: EndpointSlice | undefined;
  for (const s of unchanged) {
    const diff = max - (count + s.endpoints.length);
    if (diff >= 0 && diff < closestDiff) {
      closestDiff = diff;
      closest = s;
      if (diff === 0) break;
    }
  }
  return closest;
}

export function reconcileSlices(input: SliceReconcileInput): SliceWrites {
  const { service } = input;
  const supported = addressTypesFor(service);
  const changed = new Set(input.changed);
  const out: SliceWrites = { create: [], update: [], delete: [] };
  const unsupported: EndpointSlice[] = [];
  const byType = new Map<AddressType, EndpointSlice[]>();
  for (const s of input.existing) {
    if (!supported.includes(s.addressType)) unsupported.push(s);
    else byType.set(s.addressType, [...(byType.get(s.addressType) ?? []), s]);
  }
  for (const addressType of supported) {
    const w = reconcileByAddressType(input, addressType, byType.get(addressType) ?? [], changed);
    out.create.push(...w.create);
    out.update.push(...w.update);
    out.delete.push(...w.delete);
  }
  // Slices of an address type the service no longer has are deleted after everything else.
  out.delete.push(...unsupported);
  return out;
}

function reconcileByAddressType(input: SliceReconcileInput, addressType: AddressType, existing: EndpointSlice[], changed: Set<string>): SliceWrites {
  const { service } = input;
  const labels = desiredSliceLabels(service);
  const toDelete: EndpointSlice[] = [];
  // 1. Group owned slices by port list; slices owned by something else are deleted.
  const groups = new Map<string, { ports: EndpointPort[]; slices: EndpointSlice[]; added: Endpoint[] }>();
  const group = (ports: readonly EndpointPort[], k = portMapKey(ports)) => {
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { ports: [...ports], slices: [], added: [] }));
    return g;
  };
  for (const s of existing) {
    if (ownedBy(s, service)) group(s.ports, s.portKey).slices.push(s);
    else toDelete.push(s);
  }
  // 2. Desired endpoints of changed keys that no slice holds yet are new, per port list. Whether a
  //    slice already holds one is settled in step 1 of reconcileByPortMapping (found keys).
  const found = new Set<string>();
  const desiredOf = new Map<string, DesiredEndpoint | undefined>();
  for (const key of changed) desiredOf.set(key, input.desired(key, addressType));

  const toCreate: EndpointSlice[] = [];
  const toUpdate: EndpointSlice[] = [];
  const scan = { changed, desiredOf, found, touched: input.touched };
  const results = [...groups.values()].map((g) => ({ g, r: step1(g.slices, g.ports, labels, scan) }));
  for (const [key, d] of desiredOf) if (d && !found.has(key)) group(d.ports).added.push(d.endpoint);
  for (const g of groups.values()) if (!results.some((x) => x.g === g)) results.push({ g, r: step1([], g.ports, labels, scan) });

  for (const { g, r } of results) {
    // A port list with no desired endpoint at all loses all its slices.
    if (r.remaining === 0 && g.added.length === 0) {
      toDelete.push(...g.slices);
      continue;
    }
    const w = fillSlices(service, addressType, g.ports, r, g.added, input.maxEndpointsPerSlice);
    toCreate.push(...w.create);
    toUpdate.push(...w.update);
    toDelete.push(...w.delete);
  }

  // 3. Placeholder: a service whose slices would all go keeps (or gets) one empty slice.
  if (existing.length === toDelete.length && toCreate.length === 0) {
    const placeholder = newEndpointSlice(service, addressType, []);
    const keep = toDelete.length === 1 && isPlaceholderOf(toDelete[0], placeholder);
    if (keep) toDelete.length = 0;
    else toCreate.push(placeholder);
  }
  return finalize(service, toCreate, toUpdate, toDelete);
}

interface Step1Result {
  /** Slices in their existing order with the refreshed endpoint lists, and what becomes of each. */
  slices: { slice: EndpointSlice; endpoints: Endpoint[]; state: 'unchanged' | 'update' | 'delete' }[];
  /** Endpoints left in this port list's slices after removals. */
  remaining: number;
}

/** Step 1 of reconcileByPortMapping: refresh or drop each existing endpoint; mark slices for update or delete. */
interface Scan {
  changed: Set<string>;
  desiredOf: Map<string, DesiredEndpoint | undefined>;
  /** Keys already found in a slice (a second copy elsewhere is dropped, as upstream's set delete does). */
  found: Set<string>;
  touched?: ReadonlySet<string>;
}

function step1(slices: EndpointSlice[], ports: readonly EndpointPort[], labels: Record<string, string>, scan: Scan): Step1Result {
  const { changed, desiredOf, found, touched } = scan;
  const portKey = portMapKey(ports);
  let remaining = 0;
  const out: Step1Result['slices'] = slices.map((slice) => {
    const labelsChanged = !sameLabels(slice.metadata.labels, labels);
    if (touched ? !touched.has(slice.name) : !slice.endpoints.some((e) => changed.has(e.key))) {
      remaining += slice.endpoints.length;
      return { slice, endpoints: slice.endpoints as Endpoint[], state: labelsChanged ? 'update' : 'unchanged' };
    }
    const endpoints: Endpoint[] = [];
    let updated = false;
    for (const e of slice.endpoints) {
      if (!changed.has(e.key)) {
        endpoints.push(e);
        continue;
      }
      const d = desiredOf.get(e.key);
      if (!d || found.has(e.key) || portMapKey(d.ports) !== portKey || !sameIdentity(d.endpoint, e)) continue;
      found.add(e.key);
      endpoints.push(d.endpoint);
      if (!endpointsEqual(d.endpoint, e)) updated = true;
    }
    remaining += endpoints.length;
    if (updated || endpoints.length !== slice.endpoints.length) return { slice, endpoints, state: endpoints.length === 0 ? 'delete' : 'update' };
    return { slice, endpoints, state: labelsChanged ? 'update' : 'unchanged' };
  });
  return { slices: out, remaining };
}

/** Steps 2 and 3 of reconcileByPortMapping: place new endpoints, fullest updated slices first. */
function fillSlices(service: Service, addressType: AddressType, ports: EndpointPort[], r: Step1Result, added: Endpoint[], max: number): SliceWrites {
  const labels = desiredSliceLabels(service);
  let next = 0;
  const updates = r.slices.filter((s) => s.state === 'update').map((s) => ({ slice: s.slice, endpoints: [...s.endpoints] }));
  // 2. Fill slices already being updated, largest first.
  if (next < added.length && updates.length > 0) {
    const bySize = [...updates].sort((a, b) => b.endpoints.length - a.endpoints.length);
    for (const u of bySize) while (next < added.length && u.endpoints.length < max) u.endpoints.push(added[next++]);
  }
  // 3. Fill the unchanged slice that ends closest to full, else create new slices.
  let unchanged = r.slices.filter((s) => s.state === 'unchanged').map((s) => s.slice);
  const creates: EndpointSlice[] = [];
  while (next < added.length) {
    const left = added.length - next;
    const fill = left < max && unchanged.length > 0 ? sliceToFill(unchanged, left, max) : undefined;
    if (fill) {
      const endpoints = [...fill.endpoints];
      while (next < added.length && endpoints.length < max) endpoints.push(added[next++]);
      updates.push({ slice: fill, endpoints });
      unchanged = unchanged.filter((s) => s !== fill);
    } else {
      const endpoints: Endpoint[] = [];
      while (next < added.length && endpoints.length < max) endpoints.push(added[next++]);
      creates.push(newEndpointSlice(service, addressType, ports).with({ endpoints }));
    }
  }
  return {
    create: creates,
    update: updates.map((u) => u.slice.with({ metadata: { ...u.slice.metadata, labels }, endpoints: u.endpoints })),
    delete: r.slices.filter((s) => s.state === 'delete').map((s) => s.slice),
  };
}

/** placeholderSliceCompare: same namespace, labels, owner, address type, and no ports or endpoints. */
function isPlaceholderOf(slice: EndpointSlice, placeholder: EndpointSlice): boolean {
  const ownerA = JSON.stringify(slice.metadata.ownerReferences ?? []);
  const ownerB = JSON.stringify(placeholder.metadata.ownerReferences ?? []);
  return (
    slice.metadata.namespace === placeholder.metadata.namespace &&
    sameLabels(slice.metadata.labels, placeholder.metadata.labels ?? {}) &&
    ownerA === ownerB &&
    slice.addressType === placeholder.addressType &&
    slice.endpoints.length === 0 &&
    slice.ports.length === 0
  );
}

/** finalize: recycle creates into slices due for deletion (turning both into one update). */
function finalize(service: Service, create: EndpointSlice[], update: EndpointSlice[], del: EndpointSlice[]): SliceWrites {
  create = [...create];
  update = [...update];
  del = [...del];
  for (let i = 0; i < del.length && create.length > 0; ) {
    const victim = del[i];
    const recycled = create[create.length - 1];
    if (victim.addressType === recycled.addressType && ownedBy(victim, service)) {
      create.pop();
      update.push(recycled.with({ metadata: { ...recycled.metadata, name: victim.name } }));
      del.splice(i, 1);
    } else i++;
  }
  return { create, update, delete: del };
}
