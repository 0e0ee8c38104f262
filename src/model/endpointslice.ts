// discovery/v1 EndpointSlice as the simulator keeps it: immutable once written, with each endpoint's
// protobuf and JSON sizes computed once when the endpoint is made, so that an object's size is its
// fixed part plus a sum. The closed-form sizes are checked against the reference encoder in tests.
import { delimitedSize, varintSize } from './protobuf/wire.js';
import { jsonArrayBytes, JsonObjectBytes, jsonStringBytes, objectReferenceJson, objectReferenceJsonBytes } from './json.js';
import { normalizeMeta, type ObjectMeta } from './meta.js';
import type { AddressType } from './cluster.js';

export const SLICE_API_VERSION = 'discovery.k8s.io/v1';
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';

/** core/v1 ObjectReference; the controllers set kind, namespace, name and uid, stored objects may hold more. */
export interface ObjectReference {
  kind: string;
  namespace: string;
  name: string;
  uid: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

/** discovery/v1 EndpointHints: where the endpoint should be consumed (topology hints, trafficDistribution). */
export interface EndpointHints {
  readonly forZones?: readonly string[];
  readonly forNodes?: readonly string[];
}

/** discovery/v1 EndpointConditions: pointers in Go, so each may be unset (nil), which is not false. */
export interface EndpointConditions {
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
}

/** Every combination of the three conditions (undefined, false, true each), made once: endpoints share them. */
const CONDITIONS: EndpointConditions[] = [];
for (const ready of [undefined, false, true])
  for (const serving of [undefined, false, true])
    for (const terminating of [undefined, false, true])
      CONDITIONS.push(Object.freeze({ ...(ready !== undefined ? { ready } : {}), ...(serving !== undefined ? { serving } : {}), ...(terminating !== undefined ? { terminating } : {}) }));
const conditionIndex = (v: boolean | undefined) => (v === undefined ? 0 : v ? 2 : 1);

/**
 * The shared (frozen) EndpointConditions with these fields, unset ones left out: a controller makes an
 * endpoint per pod change, and a conditions object each would be most of the garbage its syncs leave.
 */
export function endpointConditions(ready: boolean | undefined, serving: boolean | undefined, terminating: boolean | undefined): EndpointConditions {
  return CONDITIONS[conditionIndex(ready) * 9 + conditionIndex(serving) * 3 + conditionIndex(terminating)];
}

/** discovery/v1 Endpoint plus its identity key and sizes. Never mutated: a change makes a new one. */
export interface Endpoint {
  /** Which pod (or address) this endpoint stands for: namespace/name of its targetRef. */
  readonly key: string;
  readonly addresses: readonly string[];
  readonly conditions: EndpointConditions;
  readonly hostname?: string;
  readonly targetRef?: ObjectReference;
  readonly nodeName?: string;
  readonly zone?: string;
  readonly hints?: EndpointHints;
  /** Bytes of this endpoint as one element of EndpointSlice.endpoints (tag and length included). */
  readonly protobufBytes: number;
  /** Bytes of its JSON object text. */
  readonly jsonBytes: number;
}

export type EndpointFields = Omit<Endpoint, 'protobufBytes' | 'jsonBytes' | 'key'>;

const strField = (num: number, s: string | undefined) => (s === undefined ? 0 : delimitedSize(num, Buffer.byteLength(s)));

/** core/v1 ObjectReference message size: all seven string fields are always written (empty ones too). */
export function objectReferenceBytes(ref: ObjectReference): number {
  return (
    strField(1, ref.kind) + strField(2, ref.namespace) + strField(3, ref.name) + strField(4, ref.uid) +
    strField(5, ref.apiVersion ?? '') + strField(6, ref.resourceVersion ?? '') + strField(7, ref.fieldPath ?? '')
  );
}

/** EndpointConditions' fields in Go field order. */
const CONDITION_FIELDS = ['ready', 'serving', 'terminating'] as const;

/** The conditions that are set, in Go field order (nil ones are omitted). */
function setConditions(c: EndpointConditions): [string, boolean][] {
  const out: [string, boolean][] = [];
  for (const k of CONDITION_FIELDS) if (c[k] !== undefined) out.push([k, c[k]]);
  return out;
}

/** The endpoint's JSON form in Go field order. */
export function endpointJson(e: EndpointFields): Record<string, unknown> {
  const out: Record<string, unknown> = { addresses: e.addresses, conditions: Object.fromEntries(setConditions(e.conditions)) };
  if (e.hostname !== undefined) out.hostname = e.hostname;
  if (e.targetRef) out.targetRef = objectReferenceJson(e.targetRef);
  if (e.nodeName !== undefined) out.nodeName = e.nodeName;
  if (e.zone !== undefined) out.zone = e.zone;
  if (e.hints) out.hints = hintsJson(e.hints);
  return out;
}

/** EndpointHints in JSON: empty lists are omitted (omitempty), as Go writes them. */
function hintsJson(h: EndpointHints): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (h.forZones?.length) out.forZones = h.forZones.map((name) => ({ name }));
  if (h.forNodes?.length) out.forNodes = h.forNodes.map((name) => ({ name }));
  return out;
}

const namesJsonBytes = (names: readonly string[]) => jsonArrayBytes(names.map((n) => 9 + jsonStringBytes(n))); // {"name":…}

const hintSizes = new WeakMap<EndpointHints, { json: number; protobuf: number }>();

function hintsJsonBytes(h: EndpointHints): number {
  return sizesOf(h).json;
}

function hintsProtobufBytes(h: EndpointHints): number {
  return sizesOf(h).protobuf;
}

function sizesOf(h: EndpointHints): { json: number; protobuf: number } {
  let v = hintSizes.get(h);
  if (!v) hintSizes.set(h, (v = { json: countHintsJsonBytes(h), protobuf: countHintsProtobufBytes(h) }));
  return v;
}

function countHintsJsonBytes(h: EndpointHints): number {
  const o = new JsonObjectBytes();
  if (h.forZones?.length) o.add('forZones', namesJsonBytes(h.forZones));
  if (h.forNodes?.length) o.add('forNodes', namesJsonBytes(h.forNodes));
  return o.bytes;
}

/** EndpointHints message: repeated ForZone (1) and ForNode (2), each a message with its name (1). */
function countHintsProtobufBytes(h: EndpointHints): number {
  let n = 0;
  for (const z of h.forZones ?? []) n += delimitedSize(1, delimitedSize(1, Buffer.byteLength(z)));
  for (const z of h.forNodes ?? []) n += delimitedSize(2, delimitedSize(1, Buffer.byteLength(z)));
  return n;
}

/** Byte length of endpointJson(e), member by member. */
function endpointJsonBytes(e: EndpointFields): number {
  let addresses = 2 + Math.max(0, e.addresses.length - 1);
  for (const a of e.addresses) addresses += jsonStringBytes(a);
  const conditions = new JsonObjectBytes();
  for (const k of CONDITION_FIELDS) {
    const v = e.conditions[k];
    if (v !== undefined) conditions.add(k, v ? 4 : 5);
  }
  const o = new JsonObjectBytes().add('addresses', addresses).add('conditions', conditions.bytes);
  if (e.hostname !== undefined) o.add('hostname', jsonStringBytes(e.hostname));
  if (e.targetRef) o.add('targetRef', objectReferenceJsonBytes(e.targetRef));
  if (e.nodeName !== undefined) o.add('nodeName', jsonStringBytes(e.nodeName));
  if (e.zone !== undefined) o.add('zone', jsonStringBytes(e.zone));
  if (e.hints) o.add('hints', hintsJsonBytes(e.hints));
  return o.bytes;
}

export function makeEndpoint(key: string, e: EndpointFields): Endpoint {
  let msg = 0;
  for (const a of e.addresses) msg += strField(1, a);
  let set = 0;
  for (const k of CONDITION_FIELDS) if (e.conditions[k] !== undefined) set++;
  msg += delimitedSize(2, 2 * set); // conditions: each set boolean takes 2 bytes
  msg += strField(3, e.hostname);
  if (e.targetRef) msg += delimitedSize(4, objectReferenceBytes(e.targetRef));
  msg += strField(6, e.nodeName) + strField(7, e.zone);
  if (e.hints) msg += delimitedSize(8, hintsProtobufBytes(e.hints));
  // One shape for every endpoint, every field in the object itself (a spread of the optional fields
  // gave each endpoint a separate property store); unset optional fields are undefined, as absent.
  return {
    key,
    addresses: e.addresses,
    conditions: e.conditions,
    hostname: e.hostname,
    targetRef: e.targetRef,
    nodeName: e.nodeName,
    zone: e.zone,
    hints: e.hints,
    protobufBytes: delimitedSize(2, msg),
    jsonBytes: endpointJsonBytes(e),
  };
}

/** The same endpoint with other hints (undefined: none); sizes recomputed. */
export function withHints(e: Endpoint, hints: EndpointHints | undefined): Endpoint {
  // Sizes adjusted by the hints' own part (`,"hints":…` in JSON, field 8 in protobuf), not recounted.
  const jsonPart = (h: EndpointHints | undefined) => (h ? 9 + hintsJsonBytes(h) : 0);
  const pbPart = (h: EndpointHints | undefined) => (h ? delimitedSize(8, hintsProtobufBytes(h)) : 0);
  const msg = messageBytes(e.protobufBytes) - pbPart(e.hints) + pbPart(hints);
  const out: Endpoint = { ...e, protobufBytes: delimitedSize(2, msg), jsonBytes: e.jsonBytes - jsonPart(e.hints) + jsonPart(hints) };
  if (hints) (out as { hints?: EndpointHints }).hints = hints;
  else delete (out as { hints?: EndpointHints }).hints;
  return out;
}

/** The Endpoint message's length inside its field-2 element of `total` bytes (tag 1 byte, then a varint length). */
function messageBytes(total: number): number {
  for (let len = 1; len <= 5; len++) if (varintSize(total - 1 - len) === len) return total - 1 - len;
  throw new Error(`not a field-2 element size: ${total}`);
}

const zoneHintCache = new Map<string, EndpointHints>();

/** `{forZones: [zone]}`, one shared (frozen) object per zone: the hints most endpoints carry. */
export function zoneHint(zone: string): EndpointHints {
  let h = zoneHintCache.get(zone);
  if (!h) zoneHintCache.set(zone, (h = Object.freeze({ forZones: Object.freeze([zone]) })));
  return h;
}

/** Same hints: both absent, or both present with the same lists (an absent list equals an empty one). */
export function hintsEqual(a: EndpointHints | undefined, b: EndpointHints | undefined): boolean {
  const same = (x: readonly string[] | undefined, y: readonly string[] | undefined) => (x?.length ?? 0) === (y?.length ?? 0) && (x ?? []).every((v, i) => v === y![i]);
  return (a === undefined) === (b === undefined) && same(a?.forZones, b?.forZones) && same(a?.forNodes, b?.forNodes);
}

/** targetRefs equal field by field with resourceVersion ignored (semanticIgnoreResourceVersion); nil only equals nil. */
export function targetRefsEqual(a: ObjectReference | undefined, b: ObjectReference | undefined): boolean {
  if (!a || !b) return a === b;
  return (
    a.kind === b.kind && a.namespace === b.namespace && a.name === b.name && a.uid === b.uid &&
    (a.apiVersion ?? '') === (b.apiVersion ?? '') && (a.fieldPath ?? '') === (b.fieldPath ?? '')
  );
}

/**
 * EndpointsEqualBeyondHash (k8s.io/endpointslice util/controller_utils.go): nodeName, zone and each
 * condition compared as pointers (unset differs from any value, false included), targetRef on every
 * field but resourceVersion. Addresses, hostname and the target's name are the endpoint's identity
 * (hashEndpoint) and are compared before this; hints are compared by the hint code, as upstream.
 */
export function endpointsEqualBeyondHash(a: Endpoint, b: Endpoint): boolean {
  return (
    a.nodeName === b.nodeName &&
    a.zone === b.zone &&
    a.conditions.ready === b.conditions.ready &&
    a.conditions.serving === b.conditions.serving &&
    a.conditions.terminating === b.conditions.terminating &&
    targetRefsEqual(a.targetRef, b.targetRef)
  );
}

/** The older name of endpointsEqualBeyondHash. */
export const endpointsEqual = endpointsEqualBeyondHash;

export interface EndpointPort {
  name?: string;
  protocol?: string;
  port?: number;
  appProtocol?: string;
}

/** discovery/v1 EndpointPort: every field is a pointer, written only when set. */
export function endpointPortBytes(p: EndpointPort): number {
  let msg = strField(1, p.name) + strField(2, p.protocol) + strField(4, p.appProtocol);
  if (p.port !== undefined) msg += 1 + varintSize(p.port);
  return delimitedSize(3, msg);
}

/** Identity of a port list, as NewPortMapKey hashes it: the same ports, in any order. */
export function portMapKey(ports: readonly EndpointPort[]): string {
  if (ports.length <= 1) return JSON.stringify(ports);
  return `[${ports.map((p) => JSON.stringify(p)).sort().join(',')}]`;
}

export class EndpointSlice {
  /** Sum of the endpoints' protobuf element sizes and of their JSON text sizes. */
  readonly endpointsProtobufBytes: number;
  readonly endpointsJsonBytes: number;
  /** portMapKey(ports), computed once: slices are grouped by it on every sync. */
  readonly portKey: string;

  constructor(
    readonly metadata: ObjectMeta,
    readonly addressType: AddressType,
    readonly endpoints: readonly Endpoint[],
    readonly ports: readonly EndpointPort[],
    sums?: { protobuf: number; json: number },
    portKey?: string,
  ) {
    this.portKey = portKey ?? portMapKey(ports);
    if (sums) {
      this.endpointsProtobufBytes = sums.protobuf;
      this.endpointsJsonBytes = sums.json;
    } else {
      let pb = 0;
      let json = 0;
      for (const e of endpoints) {
        pb += e.protobufBytes;
        json += e.jsonBytes;
      }
      this.endpointsProtobufBytes = pb;
      this.endpointsJsonBytes = json;
    }
  }

  get name(): string {
    return this.metadata.name ?? '';
  }

  /** A copy with other metadata and/or endpoints; sizes are carried over or re-summed. */
  with(change: { metadata?: ObjectMeta; endpoints?: readonly Endpoint[] }): EndpointSlice {
    if (!change.endpoints) {
      const sums = { protobuf: this.endpointsProtobufBytes, json: this.endpointsJsonBytes };
      return new EndpointSlice(change.metadata ?? this.metadata, this.addressType, this.endpoints, this.ports, sums, this.portKey);
    }
    return new EndpointSlice(change.metadata ?? this.metadata, this.addressType, change.endpoints, this.ports, undefined, this.portKey);
  }

  /** The whole object as the API server writes it in JSON. */
  toJSON(): Record<string, unknown> {
    return {
      kind: 'EndpointSlice',
      apiVersion: SLICE_API_VERSION,
      metadata: normalizeMeta(this.metadata),
      addressType: this.addressType,
      endpoints: this.endpoints.map(endpointJson),
      ports: this.ports,
    };
  }
}
