// Compact JSON as Go's encoding/json writes it (what the API server sends): no spaces, and the
// HTML-sensitive characters <, > and & plus U+2028/U+2029 escaped as \u00XX.

const GO_ESCAPES = /[<>&\u2028\u2029]/g;

/** The compact JSON text Go would write for this value (fields in the order given). */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(GO_ESCAPES, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** UTF-8 byte length of goJson(value). */
export function goJsonBytes(value: unknown): number {
  return Buffer.byteLength(goJson(value), 'utf8');
}

/** Printable ASCII that Go writes as is inside a JSON string (no ", \\, <, >, &). */
const PLAIN = /^[\x20\x21\x23-\x25\x27-\x3b\x3d\x3f-\x5b\x5d-\x7e]*$/;

/** UTF-8 byte length of a string once quoted and escaped as a JSON string. */
export function jsonStringBytes(s: string): number {
  return PLAIN.test(s) ? s.length + 2 : goJsonBytes(s);
}

/**
 * Bytes of `{"k1":v1,"k2":v2}`, counted member by member as they are added (key, then the byte length
 * of the value's text): sizes are computed for every endpoint made, so nothing is built to count them.
 */
export class JsonObjectBytes {
  bytes = 2;
  private members = 0;

  /** `key` is a Go field name (plain ASCII, never escaped): it takes its length and two quotes. */
  add(key: string, valueBytes: number): this {
    this.bytes += (this.members++ > 0 ? 1 : 0) + key.length + 3 + valueBytes;
    return this;
  }
}

/** Bytes of `[v1,v2]` given the byte length of each element's text. */
export function jsonArrayBytes(items: readonly number[]): number {
  let n = 2 + Math.max(0, items.length - 1);
  for (const v of items) n += v;
  return n;
}

const REF_FIELDS = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'] as const;
type Ref = { kind: string; namespace: string; name: string; uid: string; apiVersion?: string; resourceVersion?: string; fieldPath?: string };

/** An ObjectReference as Go writes it: fields in Go order, empty ones omitted (omitempty). */
export function objectReferenceJson(ref: Ref): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of REF_FIELDS) if (ref[k]) out[k] = ref[k];
  return out;
}

/** Bytes of objectReferenceJson(ref), member by member. */
export function objectReferenceJsonBytes(ref: Ref): number {
  const o = new JsonObjectBytes();
  for (const k of REF_FIELDS) {
    const v = ref[k];
    if (v) o.add(k, jsonStringBytes(v));
  }
  return o.bytes;
}
