// The EndpointSlice reconciler (k8s.io/endpointslice reconciler.go): from a Service, its existing
// slices and the desired endpoints to the creates, updates and deletes of one sync. It follows
// upstream step by step with one difference in cost, not in result: upstream walks every slice and
// every desired endpoint on each sync; here only the slices holding a changed key (or breaking the
// controller's invariants) are walked, so a sync costs what it changes. With every key marked changed
// and `fullScan` it is upstream's full reconcile; `slicesim reconcile` runs it that way.
import { addressTypesFor, type AddressType, type Service } from '../../model/cluster.js';
import { endpointsEqualBeyondHash, type Endpoint, type EndpointPort, type EndpointSlice } from '../../model/endpointslice.js';
import type { PortMapDemand } from './port-demand.js';
import type { SliceGroup, SliceIndex } from './slice-index.js';
import { desiredSliceLabels, newEndpointSlice, ownedBy, placeholderSliceCompare, sliceLabelsChanged } from './slice-meta.js';
import { reconcileTopologyHints, type HintOptions } from './hints.js';
import type { TopologyEvent } from './topologycache/events.js';

/** What a pod wants for one address type: its port list, and its endpoint when it has one. */
export interface DesiredEndpoint {
  ports: EndpointPort[];
  /** portMapKey(ports). */
  portKey: string;
  /** Undefined when the pod wants the port list but gives no endpoint (no address of the family, node not found). */
  endpoint?: Endpoint;
}

export interface SliceReconcileInput {
  service: Service;
  /** The service's existing slices (and maxEndpointsPerSlice). */
  index: SliceIndex;
  /** The port lists the service's pods want; updated here for the changed keys. */
  demand: PortMapDemand;
  /** Keys whose desired endpoint may differ from what the slices hold, in change order. */
  changed: readonly string[];
  /** What a key wants for an address type, or undefined if its pod is not in the endpoints at all. */
  desired(key: string, addressType: AddressType): DesiredEndpoint | undefined;
  /** Walk every slice, as upstream does (finds duplicated endpoints the index does not point to). */
  fullScan?: boolean;
  /** Topology hints (hints.ts: topology-aware routing, trafficDistribution); absent: the service never has hints, so the step is skipped. */
  hints?: HintOptions;
}

export interface SliceWrites {
  create: EndpointSlice[];
  update: EndpointSlice[];
  delete: EndpointSlice[];
  /** Events of the hints step, and the names of the slices it updates for hints alone. */
  events?: TopologyEvent[];
  hintOnlyUpdates?: string[];
}

/**
 * One sync (Reconcile): the writes in the order they are sent, one batch per address type (its
 * creates, updates, deletes: finalize runs per address type), then the deletes of slices of address
 * types the service no longer has. A Service without a selector or of type ExternalName gets none
 * (syncService returns before reconciling).
 */
export function reconcileSlices(input: SliceReconcileInput): SliceWrites[] {
  const { service, changed } = input;
  if (!service.selector || service.externalName) return [];
  const supported = addressTypesFor(service);
  const desiredOf = new Map<AddressType, Map<string, DesiredEndpoint | undefined>>();
  for (const t of supported) {
    const m = new Map<string, DesiredEndpoint | undefined>();
    for (const key of changed) m.set(key, input.desired(key, t));
    desiredOf.set(t, m);
  }
  // A pod's port list does not depend on the address type.
  for (const [key, d] of desiredOf.get(supported[0])!) input.demand.set(key, d?.portKey);
  const batches = supported.map((t) => reconcileByAddressType(input, t, desiredOf.get(t)!));
  const unsupported: EndpointSlice[] = [];
  for (const t of input.index.addressTypes()) {
    if (!supported.includes(t)) for (const g of input.index.groupsOf(t)) unsupported.push(...g.slices.values());
  }
  if (unsupported.length) batches.push({ create: [], update: [], delete: unsupported });
  return batches;
}

/** All writes of a sync's batches, by kind (creates, updates, deletes each in sending order), with the hint step's events. */
export function allWrites(batches: readonly SliceWrites[]): SliceWrites {
  const out: SliceWrites = { create: batches.flatMap((b) => b.create), update: batches.flatMap((b) => b.update), delete: batches.flatMap((b) => b.delete) };
  const events = batches.flatMap((b) => b.events ?? []);
  const hintOnly = batches.flatMap((b) => b.hintOnlyUpdates ?? []);
  if (events.length) out.events = events;
  if (hintOnly.length) out.hintOnlyUpdates = hintOnly;
  return out;
}

/** hashEndpoint identity: the target's namespace/name (the key), hostname and the sorted addresses. */
function sameIdentity(a: Endpoint, b: Endpoint): boolean {
  if (a.key !== b.key || a.hostname !== b.hostname || a.addresses.length !== b.addresses.length) return false;
  if (a.addresses.length === 1) return a.addresses[0] === b.addresses[0];
  const x = [...a.addresses].sort();
  const y = [...b.addresses].sort();
  return x.every((v, i) => v === y[i]);
}

/** One port list's share of a sync: its existing group (if any), its walked slices and its new endpoints. */
interface PortWork {
  ports: readonly EndpointPort[];
  portKey: string;
  group?: SliceGroup;
  walked: EndpointSlice[];
  /** Slices of the group owned by something else: deleted, so neither counted nor filled. */
  foreign: Set<EndpointSlice>;
  added: Endpoint[];
}

function reconcileByAddressType(input: SliceReconcileInput, addressType: AddressType, desiredOf: Map<string, DesiredEndpoint | undefined>): SliceWrites {
  const { service, index } = input;
  const max = index.maxEndpointsPerSlice;
  const changed = new Set(input.changed);

  // Which slices to walk: those holding a changed key, those breaking invariants, or all of them.
  const walk = new Set<string>();
  if (input.fullScan) for (const g of index.groupsOf(addressType)) for (const name of g.slices.keys()) walk.add(name);
  for (const key of changed) {
    const name = index.holder(addressType, key);
    if (name !== undefined) walk.add(name);
  }
  for (const name of index.irregularSlices()) if (index.get(name)?.addressType === addressType) walk.add(name);

  // 1. Slices owned by someone else are deleted; owned ones are grouped by port list.
  const toDelete: EndpointSlice[] = [];
  const work = new Map<string, PortWork>();
  for (const group of index.groupsOf(addressType)) work.set(group.portKey, { ports: group.ports, portKey: group.portKey, group, walked: [], foreign: new Set(), added: [] });
  for (const name of [...walk].sort((a, b) => index.seq(a) - index.seq(b))) {
    const slice = index.get(name)!;
    const w = work.get(slice.portKey)!;
    if (ownedBy(slice, service)) w.walked.push(slice);
    else {
      w.foreign.add(slice);
      toDelete.push(slice);
    }
  }

  // 2. Refresh or drop what the walked slices hold; desired endpoints no slice holds are new.
  const found = new Set<string>();
  const results = [...work.values()].map((w) => ({ w, r: refresh(w, service, { changed, desiredOf, found }) }));
  for (const [key, d] of desiredOf) {
    if (!d?.endpoint || found.has(key)) continue;
    let w = work.get(d.portKey);
    if (!w) {
      work.set(d.portKey, (w = { ports: d.ports, portKey: d.portKey, walked: [], foreign: new Set(), added: [] }));
      results.push({ w, r: { slices: [] } });
    }
    w.added.push(d.endpoint);
  }

  const toCreate: EndpointSlice[] = [];
  const toUpdate: EndpointSlice[] = [];
  for (const { w, r } of results) {
    // A port list no pod wants loses all its slices (existingSlicesByPortMap minus desiredEndpointsByPortMap).
    if (!input.demand.has(w.portKey)) {
      for (const s of w.group?.slices.values() ?? []) if (!w.foreign.has(s)) toDelete.push(s);
      continue;
    }
    const f = fillSlices(service, addressType, w, r, max);
    toCreate.push(...f.create);
    toUpdate.push(...f.update);
    toDelete.push(...f.delete);
  }

  // 3. Placeholder: a service whose slices would all go keeps (or gets) one empty slice.
  if (index.countOf(addressType) === toDelete.length && toCreate.length === 0) {
    const placeholder = newEndpointSlice(service, addressType, []);
    const keep = toDelete.length === 1 && placeholderSliceCompare(toDelete[0], placeholder);
    if (keep) toDelete.length = 0;
    else toCreate.push(placeholder);
  }

  // 4. Topology hints on what is written, and unchanged slices whose hints are wrong rewritten (hints.ts).
  if (!input.hints) return finalize(service, toCreate, toUpdate, toDelete);
  const written = new Set<string>([...toUpdate, ...toDelete].map((s) => s.name));
  const unchanged: EndpointSlice[] = [];
  for (const g of index.groupsOf(addressType)) for (const s of g.slices.values()) if (!written.has(s.name)) unchanged.push(s);
  unchanged.sort((a, b) => index.seq(a.name) - index.seq(b.name));
  const h = reconcileTopologyHints(service, addressType, toCreate, toUpdate, unchanged, input.hints);
  return { ...finalize(service, h.toCreate, h.toUpdate, toDelete), events: h.events, hintOnlyUpdates: h.hintOnlyUpdates };
}

type SliceState = 'unchanged' | 'update' | 'delete';

interface Refreshed {
  /** Walked slices in existing order with their refreshed endpoint lists, and what becomes of each. */
  slices: { slice: EndpointSlice; endpoints: Endpoint[]; state: SliceState }[];
}

interface Scan {
  changed: Set<string>;
  desiredOf: Map<string, DesiredEndpoint | undefined>;
  /** Keys already found in a slice (a second copy elsewhere is dropped, as upstream's set delete does). */
  found: Set<string>;
}

/** Step 1 of reconcileByPortMapping: refresh or drop each existing endpoint; mark slices for update or delete. */
function refresh(w: PortWork, service: Service, scan: Scan): Refreshed {
  const { changed, desiredOf, found } = scan;
  const slices = w.walked.map((slice) => {
    const endpoints: Endpoint[] = [];
    let updated = false;
    for (const e of slice.endpoints) {
      if (!changed.has(e.key)) {
        endpoints.push(e);
        continue;
      }
      const d = desiredOf.get(e.key)?.endpoint;
      if (!d || found.has(e.key) || desiredOf.get(e.key)!.portKey !== w.portKey || !sameIdentity(d, e)) continue;
      found.add(e.key);
      endpoints.push(d);
      if (!endpointsEqualBeyondHash(d, e)) updated = true;
    }
    let state: SliceState = 'unchanged';
    if (updated || endpoints.length !== slice.endpoints.length) state = endpoints.length === 0 ? 'delete' : 'update';
    else if (sliceLabelsChanged(slice.metadata.labels, service)) state = 'update';
    return { slice, endpoints, state };
  });
  return { slices };
}

/**
 * getSliceToFill: the unchanged slice that ends closest to full after taking `count` endpoints.
 * Unchanged slices are the group's slices, in existing order, that this sync does not rewrite.
 */
function sliceToFill(group: SliceGroup | undefined, busy: ReadonlySet<EndpointSlice>, count: number, max: number): EndpointSlice | undefined {
  if (!group || group.withRoom === 0) return undefined; // every slice is full: nothing can take more
  let closestDiff = max;
  let closest: EndpointSlice | undefined;
  for (const s of group.slices.values()) {
    if (busy.has(s)) continue;
    const diff = max - (count + s.endpoints.length);
    if (diff >= 0 && diff < closestDiff) {
      closestDiff = diff;
      closest = s;
      if (diff === 0) break;
    }
  }
  return closest;
}

/**
 * Steps 2 and 3 of reconcileByPortMapping: place new endpoints, fullest updated slices first. Slices
 * changed in step 1 take the service's labels; an unchanged slice filled in step 3 keeps its own.
 */
function fillSlices(service: Service, addressType: AddressType, w: PortWork, r: Refreshed, max: number): SliceWrites {
  const labels = desiredSliceLabels(service);
  const { added } = w;
  let next = 0;
  const updates = r.slices.filter((s) => s.state === 'update').map((s) => ({ slice: s.slice, endpoints: [...s.endpoints], relabel: true }));
  // 2. Fill slices already being updated, largest first.
  if (next < added.length && updates.length > 0) {
    const bySize = [...updates].sort((a, b) => b.endpoints.length - a.endpoints.length);
    for (const u of bySize) while (next < added.length && u.endpoints.length < max) u.endpoints.push(added[next++]);
  }
  // 3. Fill the unchanged slice that ends closest to full, else create new slices.
  const busy = new Set<EndpointSlice>(w.foreign);
  for (const s of r.slices) if (s.state !== 'unchanged') busy.add(s.slice);
  const creates: EndpointSlice[] = [];
  while (next < added.length) {
    const left = added.length - next;
    const fill = left < max ? sliceToFill(w.group, busy, left, max) : undefined;
    if (fill) {
      const endpoints = [...fill.endpoints];
      while (next < added.length && endpoints.length < max) endpoints.push(added[next++]);
      updates.push({ slice: fill, endpoints, relabel: false });
      busy.add(fill);
    } else {
      const endpoints: Endpoint[] = [];
      while (next < added.length && endpoints.length < max) endpoints.push(added[next++]);
      creates.push(newEndpointSlice(service, addressType, w.ports).with({ endpoints }));
    }
  }
  return {
    create: creates,
    update: updates.map((u) => u.slice.with({ metadata: u.relabel ? { ...u.slice.metadata, labels } : u.slice.metadata, endpoints: u.endpoints })),
    delete: r.slices.filter((s) => s.state === 'delete').map((s) => s.slice),
  };
}

/**
 * finalize: recycle creates into slices due for deletion (same address type, owned by the service),
 * turning both into one update; a Service being deleted gets no creates.
 */
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
  if (service.deleting) create = [];
  return { create, update, delete: del };
}
