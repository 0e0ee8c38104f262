// core/v1 Endpoints content as the Endpoints controller keeps it between syncs: pods grouped by the
// port list each one serves, ready and not-ready addresses each kept sorted as RepackSubsets sorts
// them (LessEndpointAddress: the bytes of the IP text, then the target's UID), with running size sums
// so that a 5000-address object is never re-encoded per write. The subsets written are RepackSubsets'
// (pkg/api/v1/endpoints/util.go): ports served by the same addresses share a subset, so a pod serving
// two ports that other pods serve apart appears in two subsets. Truncation to maxEndpoints
// (truncateEndpoints, Kubernetes >= 1.22) is applied to those subsets when measuring or materialising.
import { delimitedSize, varintSize } from './protobuf/wire.js';
import { goJsonBytes, JsonObjectBytes, jsonStringBytes, objectReferenceJson, objectReferenceJsonBytes } from './json.js';
import { objectReferenceBytes, targetRefsEqual, type ObjectReference } from './endpointslice.js';

export const ANNOTATION_OVER_CAPACITY = 'endpoints.kubernetes.io/over-capacity';
export const ANNOTATION_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';

/** core/v1 EndpointAddress plus which list it belongs in, its sort key and its sizes. */
export interface EndpointAddress {
  readonly key: string;
  readonly ip: string;
  readonly hostname: string;
  readonly nodeName?: string;
  readonly targetRef?: ObjectReference;
  readonly ready: boolean;
  /** LessEndpointAddress order: the bytes of the IP text, then the target's UID. */
  readonly sortKey: string;
  /** Bytes as one element of `addresses` or `notReadyAddresses` (both field tags take 1 byte). */
  readonly protobufBytes: number;
  readonly jsonBytes: number;
}

export interface CorePort {
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}


export function addressJson(a: Omit<EndpointAddress, 'protobufBytes' | 'jsonBytes' | 'sortKey' | 'key' | 'ready'>) {
  const out: Record<string, unknown> = { ip: a.ip };
  if (a.hostname) out.hostname = a.hostname;
  if (a.nodeName !== undefined) out.nodeName = a.nodeName;
  if (a.targetRef) out.targetRef = objectReferenceJson(a.targetRef);
  return out;
}

/** Byte length of addressJson(a), member by member. */
function addressJsonBytes(a: Parameters<typeof addressJson>[0]): number {
  const o = new JsonObjectBytes().add('ip', jsonStringBytes(a.ip));
  if (a.hostname) o.add('hostname', jsonStringBytes(a.hostname));
  if (a.nodeName !== undefined) o.add('nodeName', jsonStringBytes(a.nodeName));
  if (a.targetRef) o.add('targetRef', objectReferenceJsonBytes(a.targetRef));
  return o.bytes;
}

export function makeAddress(
  key: string,
  a: { ip: string; hostname: string; nodeName?: string; targetRef?: ObjectReference; ready: boolean },
): EndpointAddress {
  let msg = delimitedSize(1, Buffer.byteLength(a.ip)) + delimitedSize(3, Buffer.byteLength(a.hostname));
  if (a.targetRef) msg += delimitedSize(2, objectReferenceBytes(a.targetRef));
  if (a.nodeName !== undefined) msg += delimitedSize(4, Buffer.byteLength(a.nodeName));
  return {
    key,
    ...a,
    // IP text then UID; \0 sorts before every character an IP has, so a shorter IP that is a prefix
    // of a longer one still sorts first (as bytes.Compare does): 10.0.0.1 < 10.0.0.10 < 10.0.0.9.
    sortKey: `${a.ip}\0${a.targetRef ? '\u0001' + a.targetRef.uid : ''}`,
    protobufBytes: delimitedSize(1, msg),
    jsonBytes: addressJsonBytes(a),
  };
}

/** Same address in the same list: every field, targetRef by value without its resourceVersion. */
export function addressesEqual(a: EndpointAddress, b: EndpointAddress): boolean {
  return a.ip === b.ip && a.ready === b.ready && a.hostname === b.hostname && a.nodeName === b.nodeName && targetRefsEqual(a.targetRef, b.targetRef);
}

function corePortBytes(p: CorePort): number {
  const msg =
    delimitedSize(1, Buffer.byteLength(p.name)) +
    1 + varintSize(p.port) +
    delimitedSize(3, Buffer.byteLength(p.protocol)) +
    (p.appProtocol !== undefined ? delimitedSize(4, Buffer.byteLength(p.appProtocol)) : 0);
  return delimitedSize(3, msg);
}

function corePortJson(p: CorePort): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (p.name) out.name = p.name;
  out.port = p.port;
  if (p.protocol) out.protocol = p.protocol;
  if (p.appProtocol !== undefined) out.appProtocol = p.appProtocol;
  return out;
}

const bySortKey = (a: EndpointAddress, b: EndpointAddress) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0);

/** Rearranges `items` so that its first k are the k smallest by sort key (in any order): quickselect. */
function selectSmallest(items: EndpointAddress[], k: number): void {
  let lo = 0;
  let hi = items.length - 1;
  while (lo < hi) {
    const pivot = items[(lo + hi) >> 1].sortKey;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (items[i].sortKey < pivot) i++;
      while (items[j].sortKey > pivot) j--;
      if (i <= j) {
        [items[i], items[j]] = [items[j], items[i]];
        i++;
        j--;
      }
    }
    if (k - 1 <= j) hi = j;
    else if (k - 1 >= i) lo = i;
    else return;
  }
}

/**
 * A set of addresses with running size sums, and the first ones in RepackSubsets order (IP bytes,
 * then UID) on demand. Sizes need no order; truncation needs only the first few hundred of a list
 * that may hold 100,000, so only a sorted head is kept: addresses sorting before its last one are
 * inserted into it, removals take it shorter, and it is selected again (quickselect) when too short.
 */
class SortedAddresses {
  /** Longest head kept: past it, only the first half is kept sorted. */
  private static readonly HEAD_CAP = 4096;
  private readonly members = new Set<EndpointAddress>();
  /** The smallest addresses, sorted: every member sorting before head[last] is in it. */
  private head: EndpointAddress[] = [];
  /** Whether the head holds every member. */
  private headIsAll = true;
  protobufBytes = 0;
  jsonBytes = 0;

  get length(): number {
    return this.members.size;
  }

  insert(a: EndpointAddress): void {
    this.members.add(a);
    this.protobufBytes += a.protobufBytes;
    this.jsonBytes += a.jsonBytes;
    if (this.head.length >= SortedAddresses.HEAD_CAP) {
      this.head.length = SortedAddresses.HEAD_CAP / 2;
      this.headIsAll = false;
    }
    const last = this.head[this.head.length - 1];
    if (this.headIsAll || (last && a.sortKey < last.sortKey)) this.head.splice(lowerBound(this.head, a.sortKey), 0, a);
  }

  remove(a: EndpointAddress): void {
    this.members.delete(a);
    this.protobufBytes -= a.protobufBytes;
    this.jsonBytes -= a.jsonBytes;
    let i = lowerBound(this.head, a.sortKey);
    while (i < this.head.length && this.head[i] !== a && this.head[i].sortKey === a.sortKey) i++;
    if (this.head[i] === a) this.head.splice(i, 1);
    if (this.head.length === 0 && !this.headIsAll) this.headIsAll = this.members.size === 0;
  }

  /** The first `count` addresses in sort order. */
  first(count: number): readonly EndpointAddress[] {
    if (!this.headIsAll && this.head.length < count) {
      const all = [...this.members];
      const size = Math.min(all.length, Math.max(2 * count, 256));
      if (size < all.length) selectSmallest(all, size);
      this.head = all.slice(0, size).sort(bySortKey);
      this.headIsAll = size === all.length;
    }
    return this.head.length > count ? this.head.slice(0, count) : this.head;
  }
}

function lowerBound(items: readonly EndpointAddress[], sortKey: string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid].sortKey < sortKey) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One port list and the pods that serve exactly it (what addEndpointSubset gives before repacking). */
class Group {
  readonly ready = new SortedAddresses();
  readonly notReady = new SortedAddresses();
  /** Each port's identity (its JSON), as RepackSubsets keys ports by value. */
  readonly portIds: string[];

  constructor(
    readonly ports: readonly CorePort[],
    readonly portKey: string,
  ) {
    this.portIds = ports.map((p) => JSON.stringify(p));
  }

  get size(): number {
    return this.ready.length + this.notReady.length;
  }
}

/** What repacking needs of a group: its port list (and identity); G carries whatever else the caller sums. */
interface PortListed {
  readonly ports: readonly CorePort[];
  readonly portIds: readonly string[];
  readonly portKey: string;
}

/** A subset as RepackSubsets builds it: the ports served by exactly these groups' addresses. */
export interface Repacked<G> {
  groups: G[];
  ports: CorePort[];
  portsProtobufBytes: number;
  portsJson: Record<string, unknown>[];
}

/**
 * RepackSubsets over groups of pods by port list: each port is served by the addresses of the groups
 * whose list holds it, and ports served by the same groups form one subset. A group without ports
 * (a headless Service without ports) stands for one port-less subset, as upstream's sentinel port does.
 * SIM: subsets are ordered by their port lists and ports within one by their JSON; RepackSubsets orders
 * both by an md5 of Go's dump of each, which includes pointer values and so varies from run to run.
 * Order never changes sizes.
 */
export function repackSubsets<G extends PortListed>(groups: Iterable<G>): Repacked<G>[] {
  const byPort = new Map<string, { port: CorePort | undefined; groups: G[] }>();
  const sorted = [...groups].sort((a, b) => (a.portKey < b.portKey ? -1 : a.portKey > b.portKey ? 1 : 0));
  for (const g of sorted) {
    if (g.ports.length === 0) {
      let e = byPort.get('');
      if (!e) byPort.set('', (e = { port: undefined, groups: [] }));
      e.groups.push(g);
    }
    g.ports.forEach((port, i) => {
      const id = g.portIds[i];
      let e = byPort.get(id);
      if (!e) byPort.set(id, (e = { port, groups: [] }));
      if (e.groups[e.groups.length - 1] !== g) e.groups.push(g);
    });
  }
  const bySignature = new Map<string, { groups: G[]; ports: { id: string; port: CorePort }[] }>();
  for (const [id, e] of byPort) {
    const sig = e.groups.map((g) => g.portKey).join('\n');
    let s = bySignature.get(sig);
    if (!s) bySignature.set(sig, (s = { groups: e.groups, ports: [] }));
    if (e.port) s.ports.push({ id, port: e.port });
  }
  const out = [...bySignature.values()].map((s) => {
    const ports = s.ports.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((p) => p.port);
    return { key: JSON.stringify(ports), repacked: { groups: s.groups, ports, portsProtobufBytes: ports.reduce((n, p) => n + corePortBytes(p), 0), portsJson: ports.map(corePortJson) } };
  });
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((x) => x.repacked);
}

/** The first `count` addresses of several sorted lists together, in LessEndpointAddress order. */
function firstOfUnion(lists: readonly SortedAddresses[], count: number): readonly EndpointAddress[] {
  if (lists.length === 1) return lists[0].first(count);
  const heads = lists.map((l) => l.first(count));
  const at = heads.map(() => 0);
  const out: EndpointAddress[] = [];
  while (out.length < count) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) if (at[i] < heads[i].length && (best < 0 || heads[i][at[i]].sortKey < heads[best][at[best]].sortKey)) best = i;
    if (best < 0) break;
    out.push(heads[best][at[best]++]);
  }
  return out;
}

/** Sizes of the subsets part of an Endpoints object (protobuf field 2 elements; JSON `"subsets":[…]`). */
export interface SubsetsMeasure {
  protobufBytes: number;
  /** JSON bytes of `,"subsets":[…]`, or 0 when there are no subsets (omitempty). */
  jsonBytes: number;
  /** Addresses written (after truncation), counted once per subset they appear in. */
  addresses: number;
  truncated: boolean;
}

const listJsonBytes = (name: string, count: number, itemBytes: number) =>
  count === 0 ? 0 : `"${name}":[]`.length + itemBytes + (count - 1);

/** The controller's view of one Endpoints object's addresses, keyed by pod. */
export class EndpointsContent {
  private readonly groups = new Map<string, Group>();
  private readonly byKey = new Map<string, { group: Group; address: EndpointAddress }>();
  /** repackSubsets(groups), kept until a group appears or goes. */
  private repacked: Repacked<Group>[] | undefined;

  /** Pods with an address. */
  get total(): number {
    return this.byKey.size;
  }

  /** The stored address of a pod and the port list it serves (the live entry: read it, do not keep it). */
  get(key: string): { readonly address: EndpointAddress; readonly group: { readonly ports: readonly CorePort[]; readonly portKey: string } } | undefined {
    return this.byKey.get(key);
  }

  /** Sets (or with no address removes) a pod's address; `portKey` is JSON of `ports`, computed if not given. */
  set(key: string, address: EndpointAddress | undefined, ports: readonly CorePort[], portKey = JSON.stringify(ports)): void {
    const old = this.byKey.get(key);
    if (old) {
      (old.address.ready ? old.group.ready : old.group.notReady).remove(old.address);
      this.byKey.delete(key);
      if (old.group.size === 0) {
        this.groups.delete(old.group.portKey);
        this.repacked = undefined;
      }
    }
    if (!address) return;
    let group = this.groups.get(portKey);
    if (!group) {
      this.groups.set(portKey, (group = new Group(ports, portKey)));
      this.repacked = undefined;
    }
    (address.ready ? group.ready : group.notReady).insert(address);
    this.byKey.set(key, { group, address });
  }

  private subsets(): Repacked<Group>[] {
    return (this.repacked ??= repackSubsets(this.groups.values()));
  }

  /** Addresses in the repacked subsets (a pod counts once per subset it is in), before truncation. */
  addressCount(): number {
    let n = 0;
    for (const s of this.subsets()) for (const g of s.groups) n += g.size;
    return n;
  }

  /** The repacked subsets with the addresses truncateEndpoints would keep (maxEndpoints 0 = all). */
  private truncatedLists(maxEndpoints: number) {
    const subsets = this.subsets();
    const counts = subsets.map((s) => ({ ready: s.groups.reduce((n, g) => n + g.ready.length, 0), notReady: s.groups.reduce((n, g) => n + g.notReady.length, 0) }));
    const kept = truncateCounts(counts, maxEndpoints);
    return { truncated: kept.truncated, lists: subsets.map((s, i) => ({ s, ...kept.lists[i] })) };
  }

  /** Sizes of the subsets as written; O(subsets) when nothing is truncated, O(maxEndpoints) otherwise. */
  measure(maxEndpoints: number): SubsetsMeasure {
    const { truncated, lists } = this.truncatedLists(maxEndpoints);
    const parts = lists.map(({ s, ready, notReady }) => ({
      s,
      ready: { n: ready, ...prefixSums(s.groups.map((g) => g.ready), ready) },
      notReady: { n: notReady, ...prefixSums(s.groups.map((g) => g.notReady), notReady) },
    }));
    return { ...measureSubsets(parts), truncated };
  }

  /**
   * measure() as if these pod changes were applied, without applying them: what a write that may be
   * refused costs. Undefined when the result would be truncated (then apply, measure, and undo).
   */
  measureWith(changes: readonly { key: string; address?: EndpointAddress; ports: readonly CorePort[]; portKey: string }[], maxEndpoints: number): SubsetsMeasure | undefined {
    interface Sums extends PortListed {
      ready: ListPart;
      notReady: ListPart;
    }
    const parts = new Map<string, Sums>();
    const part = (portKey: string, ports: readonly CorePort[]): Sums => {
      let p = parts.get(portKey);
      if (!p) {
        const g = this.groups.get(portKey);
        const sums = (l: SortedAddresses | undefined) => ({ n: l?.length ?? 0, protobufBytes: l?.protobufBytes ?? 0, jsonBytes: l?.jsonBytes ?? 0 });
        parts.set(portKey, (p = { ports: g?.ports ?? ports, portIds: g?.portIds ?? ports.map((x) => JSON.stringify(x)), portKey, ready: sums(g?.ready), notReady: sums(g?.notReady) }));
      }
      return p;
    };
    const shift = (p: Sums, a: EndpointAddress, sign: number) => {
      const l = a.ready ? p.ready : p.notReady;
      l.n += sign;
      l.protobufBytes += sign * a.protobufBytes;
      l.jsonBytes += sign * a.jsonBytes;
    };
    for (const c of changes) {
      const current = this.byKey.get(c.key);
      if (current) shift(part(current.group.portKey, current.group.ports), current.address, -1);
      if (c.address) shift(part(c.portKey, c.ports), c.address, 1);
    }
    for (const [portKey, g] of this.groups) if (!parts.has(portKey)) part(portKey, g.ports);
    const subsets = repackSubsets([...parts.values()].filter((p) => p.ready.n + p.notReady.n > 0));
    const sum = (gs: Sums[], which: 'ready' | 'notReady'): ListPart =>
      gs.reduce((acc, g) => ({ n: acc.n + g[which].n, protobufBytes: acc.protobufBytes + g[which].protobufBytes, jsonBytes: acc.jsonBytes + g[which].jsonBytes }), { n: 0, protobufBytes: 0, jsonBytes: 0 });
    const measured = subsets.map((s) => ({ s, ready: sum(s.groups, 'ready'), notReady: sum(s.groups, 'notReady') }));
    const total = measured.reduce((n, m) => n + m.ready.n + m.notReady.n, 0);
    if (maxEndpoints > 0 && total > maxEndpoints) return undefined;
    return { ...measureSubsets(measured), truncated: false };
  }

  /** The subsets as JSON, truncated as measure() counts them. */
  toJSON(maxEndpoints: number): Record<string, unknown>[] {
    return this.truncatedLists(maxEndpoints).lists.map(({ s, ready, notReady }) => {
      const out: Record<string, unknown> = {};
      if (ready) out.addresses = firstOfUnion(s.groups.map((g) => g.ready), ready).map(addressJson);
      if (notReady) out.notReadyAddresses = firstOfUnion(s.groups.map((g) => g.notReady), notReady).map(addressJson);
      if (s.ports.length) out.ports = s.portsJson;
      return out;
    });
  }
}

/**
 * truncateEndpoints on counts: above maxEndpoints, ready addresses are kept first; each subset's share
 * of what is kept is proportional to its size, rounded up, capped by what is left.
 */
export function truncateCounts(subsets: readonly { ready: number; notReady: number }[], maxEndpoints: number): { truncated: boolean; lists: { ready: number; notReady: number }[] } {
  let totalReady = 0;
  let totalNotReady = 0;
  for (const s of subsets) {
    totalReady += s.ready;
    totalNotReady += s.notReady;
  }
  const over = maxEndpoints > 0 && totalReady + totalNotReady > maxEndpoints;
  if (!over) return { truncated: false, lists: subsets.map((s) => ({ ready: s.ready, notReady: s.notReady })) };
  const truncateReady = totalReady > maxEndpoints;
  const budget = truncateReady ? maxEndpoints : maxEndpoints - totalReady;
  const numTotal = truncateReady ? totalReady : totalNotReady;
  let canBeAdded = budget;
  return {
    truncated: true,
    lists: subsets.map((s) => {
      const inSubset = truncateReady ? s.ready : s.notReady;
      const share = Math.min(Math.ceil((inSubset / numTotal) * budget), canBeAdded);
      if (truncateReady) {
        const ready = Math.min(s.ready, share);
        canBeAdded -= ready;
        return { ready, notReady: 0 };
      }
      const notReady = Math.min(s.notReady, share);
      canBeAdded -= notReady;
      return { ready: s.ready, notReady };
    }),
  };
}

interface ListPart {
  n: number;
  protobufBytes: number;
  jsonBytes: number;
}

interface SubsetPart {
  s: { ports: readonly CorePort[]; portsProtobufBytes: number; portsJson: Record<string, unknown>[] };
  ready: ListPart;
  notReady: ListPart;
}

/** Sizes of subsets written with these address counts and byte sums. */
function measureSubsets(parts: readonly SubsetPart[]): Omit<SubsetsMeasure, 'truncated'> {
  let protobufBytes = 0;
  let subsetsJson = 0;
  let addresses = 0;
  for (const { s, ready: r, notReady: n } of parts) {
    protobufBytes += delimitedSize(2, r.protobufBytes + n.protobufBytes + s.portsProtobufBytes);
    const json = [listJsonBytes('addresses', r.n, r.jsonBytes), listJsonBytes('notReadyAddresses', n.n, n.jsonBytes)];
    if (s.ports.length) json.push(goJsonBytes({ ports: s.portsJson }) - 2);
    const present = json.filter((p) => p > 0);
    subsetsJson += 2 + present.reduce((a, b) => a + b, 0) + Math.max(0, present.length - 1);
    addresses += r.n + n.n;
  }
  const jsonBytes = parts.length === 0 ? 0 : ',"subsets":[]'.length + subsetsJson + (parts.length - 1);
  return { protobufBytes, jsonBytes, addresses };
}

/** Byte sums of the first `count` addresses of the lists together (all of them: the running sums). */
function prefixSums(lists: readonly SortedAddresses[], count: number): { protobufBytes: number; jsonBytes: number } {
  let total = 0;
  for (const l of lists) total += l.length;
  if (count === total) return { protobufBytes: lists.reduce((n, l) => n + l.protobufBytes, 0), jsonBytes: lists.reduce((n, l) => n + l.jsonBytes, 0) };
  let protobufBytes = 0;
  let jsonBytes = 0;
  for (const a of firstOfUnion(lists, count)) {
    protobufBytes += a.protobufBytes;
    jsonBytes += a.jsonBytes;
  }
  return { protobufBytes, jsonBytes };
}
