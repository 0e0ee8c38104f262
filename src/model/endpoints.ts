// core/v1 Endpoints content as the Endpoints controller keeps it between syncs: one subset per port
// set, ready and not-ready addresses each kept sorted as RepackSubsets sorts them (by IP bytes, then
// UID), with running size sums so that a 5000-address object is never re-encoded per write.
// Truncation to maxEndpoints (Kubernetes >= 1.22) is applied when measuring or materialising.
import { delimitedSize, varintSize } from './protobuf/wire.js';
import { goJsonBytes, jsonObjectBytes, jsonStringBytes, objectReferenceJsonBytes } from './json.js';
import { objectReferenceBytes, type ObjectReference } from './endpointslice.js';

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
  /** RepackSubsets order: IP bytes, then UID. */
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

const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function ipSortKey(ip: string): string {
  if (!ip.includes(':')) {
    let key = '';
    for (const octet of ip.split('.')) key += HEX2[Number(octet) & 255];
    return key;
  }
  const [head, tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return groups.map((g) => g.padStart(4, '0')).join('');
}

export function addressJson(a: Omit<EndpointAddress, 'protobufBytes' | 'jsonBytes' | 'sortKey' | 'key' | 'ready'>) {
  const out: Record<string, unknown> = { ip: a.ip };
  if (a.hostname) out.hostname = a.hostname;
  if (a.nodeName !== undefined) out.nodeName = a.nodeName;
  if (a.targetRef) out.targetRef = a.targetRef;
  return out;
}

/** Byte length of addressJson(a), member by member. */
function addressJsonBytes(a: Parameters<typeof addressJson>[0]): number {
  const members: [string, number][] = [['ip', jsonStringBytes(a.ip)]];
  if (a.hostname) members.push(['hostname', jsonStringBytes(a.hostname)]);
  if (a.nodeName !== undefined) members.push(['nodeName', jsonStringBytes(a.nodeName)]);
  if (a.targetRef) members.push(['targetRef', objectReferenceJsonBytes(a.targetRef)]);
  return jsonObjectBytes(members);
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
    sortKey: `${ipSortKey(a.ip)}/${a.targetRef?.uid ?? ''}`,
    protobufBytes: delimitedSize(1, msg),
    jsonBytes: addressJsonBytes(a),
  };
}

export function addressesEqual(a: EndpointAddress, b: EndpointAddress): boolean {
  return (
    a.ip === b.ip &&
    a.ready === b.ready &&
    a.hostname === b.hostname &&
    a.nodeName === b.nodeName &&
    a.targetRef?.uid === b.targetRef?.uid &&
    a.targetRef?.name === b.targetRef?.name &&
    a.targetRef?.namespace === b.targetRef?.namespace
  );
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

class Subset {
  readonly ready = new SortedAddresses();
  readonly notReady = new SortedAddresses();
  readonly portsProtobufBytes: number;
  readonly portsJson: Record<string, unknown>[];

  constructor(
    readonly ports: readonly CorePort[],
    readonly portKey: string,
  ) {
    this.portsProtobufBytes = ports.reduce((s, p) => s + corePortBytes(p), 0);
    this.portsJson = ports.map(corePortJson);
  }

  get size(): number {
    return this.ready.length + this.notReady.length;
  }
}

/** Sizes of the subsets part of an Endpoints object (protobuf field 2 elements; JSON `"subsets":[…]`). */
export interface SubsetsMeasure {
  protobufBytes: number;
  /** JSON bytes of `,"subsets":[…]`, or 0 when there are no subsets (omitempty). */
  jsonBytes: number;
  /** Addresses written (after truncation). */
  addresses: number;
  truncated: boolean;
}

const listJsonBytes = (name: string, count: number, itemBytes: number) =>
  count === 0 ? 0 : `"${name}":[]`.length + itemBytes + (count - 1);

/** The controller's view of one Endpoints object's addresses, keyed by pod. */
export class EndpointsContent {
  private readonly subsets = new Map<string, Subset>();
  private readonly byKey = new Map<string, { subset: Subset; address: EndpointAddress }>();

  get total(): number {
    return this.byKey.size;
  }

  /** The stored address of a pod and the subset it is in (the live entry: read it, do not keep it). */
  get(key: string): { readonly address: EndpointAddress; readonly subset: { readonly ports: readonly CorePort[]; readonly portKey: string } } | undefined {
    return this.byKey.get(key);
  }

  /** Sets (or with no address removes) a pod's address; `portKey` is JSON of `ports`, computed if not given. */
  set(key: string, address: EndpointAddress | undefined, ports: readonly CorePort[], portKey = JSON.stringify(ports)): void {
    const old = this.byKey.get(key);
    if (old) {
      (old.address.ready ? old.subset.ready : old.subset.notReady).remove(old.address);
      this.byKey.delete(key);
      if (old.subset.size === 0) this.subsets.delete(old.subset.portKey);
    }
    if (!address) return;
    let subset = this.subsets.get(portKey);
    if (!subset) this.subsets.set(portKey, (subset = new Subset(ports, portKey)));
    (address.ready ? subset.ready : subset.notReady).insert(address);
    this.byKey.set(key, { subset, address });
  }

  /** Subsets in a fixed order, with the addresses truncateEndpoints would keep (maxEndpoints 0 = all). */
  private truncatedLists(maxEndpoints: number) {
    // SIM: subsets are ordered by their port list; RepackSubsets orders them by an md5 hash of each
    // subset, which changes the order in the output but never the sizes.
    const subsets = [...this.subsets.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
    let totalReady = 0;
    let totalNotReady = 0;
    for (const s of subsets) {
      totalReady += s.ready.length;
      totalNotReady += s.notReady.length;
    }
    const over = maxEndpoints > 0 && totalReady + totalNotReady > maxEndpoints;
    const truncateReady = over && totalReady > maxEndpoints;
    const budget = truncateReady ? maxEndpoints : maxEndpoints - totalReady;
    const numTotal = truncateReady ? totalReady : totalNotReady;
    let canBeAdded = budget;
    return {
      truncated: over,
      lists: subsets.map((s) => {
        if (!over) return { s, ready: s.ready.length, notReady: s.notReady.length };
        // Each subset's share is proportional to its size, rounded up, capped by what is left.
        const inSubset = truncateReady ? s.ready.length : s.notReady.length;
        const share = Math.min(Math.ceil((inSubset / numTotal) * budget), canBeAdded);
        if (truncateReady) {
          const ready = Math.min(s.ready.length, share);
          canBeAdded -= ready;
          return { s, ready, notReady: 0 };
        }
        const notReady = Math.min(s.notReady.length, share);
        canBeAdded -= notReady;
        return { s, ready: s.ready.length, notReady };
      }),
    };
  }

  /** Sizes of the subsets as written; O(subsets) when nothing is truncated, O(maxEndpoints) otherwise. */
  measure(maxEndpoints: number): SubsetsMeasure {
    const { truncated, lists } = this.truncatedLists(maxEndpoints);
    const parts = lists.map(({ s, ready, notReady }) => ({ s, ready: { n: ready, ...prefixSums(s.ready, ready) }, notReady: { n: notReady, ...prefixSums(s.notReady, notReady) } }));
    return { ...measureSubsets(parts), truncated };
  }

  /**
   * measure() as if these pod changes were applied, without applying them: what a write that may be
   * refused costs. Undefined when the result would be truncated (then apply, measure, and undo).
   */
  measureWith(changes: readonly { key: string; address?: EndpointAddress; ports: readonly CorePort[]; portKey: string }[], maxEndpoints: number): SubsetsMeasure | undefined {
    let total = this.total;
    const parts = new Map<string, SubsetPart>();
    const part = (portKey: string, ports: readonly CorePort[]): SubsetPart => {
      let p = parts.get(portKey);
      if (!p) {
        const s = this.subsets.get(portKey) ?? new Subset(ports, portKey);
        const sums = (l: SortedAddresses) => ({ n: l.length, protobufBytes: l.protobufBytes, jsonBytes: l.jsonBytes });
        parts.set(portKey, (p = { s, ready: sums(s.ready), notReady: sums(s.notReady) }));
      }
      return p;
    };
    const shift = (p: SubsetPart, a: EndpointAddress, sign: number) => {
      const l = a.ready ? p.ready : p.notReady;
      l.n += sign;
      l.protobufBytes += sign * a.protobufBytes;
      l.jsonBytes += sign * a.jsonBytes;
    };
    for (const c of changes) {
      const current = this.byKey.get(c.key);
      if (current) {
        shift(part(current.subset.portKey, current.subset.ports), current.address, -1);
        total--;
      }
      if (c.address) {
        shift(part(c.portKey, c.ports), c.address, 1);
        total++;
      }
    }
    if (maxEndpoints > 0 && total > maxEndpoints) return undefined;
    for (const [portKey, s] of this.subsets) if (!parts.has(portKey)) part(portKey, s.ports);
    return { ...measureSubsets([...parts.values()].filter((p) => p.ready.n + p.notReady.n > 0)), truncated: false };
  }

  /** The subsets as JSON, truncated as measure() counts them. */
  toJSON(maxEndpoints: number): Record<string, unknown>[] {
    return this.truncatedLists(maxEndpoints).lists.map(({ s, ready, notReady }) => {
      const out: Record<string, unknown> = {};
      if (ready) out.addresses = s.ready.first(ready).map(addressJson);
      if (notReady) out.notReadyAddresses = s.notReady.first(notReady).map(addressJson);
      if (s.ports.length) out.ports = s.portsJson;
      return out;
    });
  }

}

interface ListPart {
  n: number;
  protobufBytes: number;
  jsonBytes: number;
}

interface SubsetPart {
  s: Subset;
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

function prefixSums(list: SortedAddresses, count: number): { protobufBytes: number; jsonBytes: number } {
  if (count === list.length) return { protobufBytes: list.protobufBytes, jsonBytes: list.jsonBytes };
  let protobufBytes = 0;
  let jsonBytes = 0;
  for (const a of list.first(count)) {
    protobufBytes += a.protobufBytes;
    jsonBytes += a.jsonBytes;
  }
  return { protobufBytes, jsonBytes };
}
