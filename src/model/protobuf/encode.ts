// Encodes a Kubernetes object given in its JSON form into the protobuf bytes the API server would
// produce, field by field as the gogo-generated Marshal methods do (schema.generated.ts holds the
// field table). This is the reference encoder: exact, allocation-heavy, not for the hot path.
import { ByteWriter, utf8Bytes } from './wire.js';
import { MESSAGES, type FieldRow } from './schema.generated.js';
import { goJson } from '../json.js';

const POINTER = 1;
const REPEATED = 2;
const INLINE = 4;

type Json = unknown;
type JsonObject = Record<string, Json>;

export class EncodeError extends Error {}

/** Encodes `value` (JSON form) as the protobuf message `type` (e.g. 'core.Pod'). */
export function encodeMessage(type: string, value: Json): Uint8Array {
  const w = new ByteWriter();
  writeMessageFields(w, type, value, type);
  return w.bytes();
}

function writeMessageFields(w: ByteWriter, type: string, value: Json, path: string): void {
  const special = SPECIAL[type];
  if (special) return special(w, value, path);
  const rows = MESSAGES[type];
  if (!rows) throw new EncodeError(`${path}: no protobuf schema for ${type}`);
  const obj = (value ?? {}) as JsonObject;
  if (typeof obj !== 'object' || Array.isArray(obj)) throw new EncodeError(`${path}: expected an object`);
  for (const row of rows) writeField(w, row, obj, path);
}

function writeField(w: ByteWriter, [name, num, type, flags]: FieldRow, obj: JsonObject, path: string): void {
  if (flags & INLINE) {
    // An embedded Go struct: its fields sit in the parent's JSON, its message is a nested field.
    w.delimited(num, encodeMessage(type, obj));
    return;
  }
  const x = obj[name];
  const at = `${path}.${name}`;
  if (flags & REPEATED) {
    if (x == null) return;
    if (!Array.isArray(x)) throw new EncodeError(`${at}: expected a list`);
    x.forEach((el, i) => writeValue(w, num, type, el, `${at}[${i}]`));
    return;
  }
  if (type.startsWith('map<')) {
    if (x == null) return;
    const [keyType, valueType] = type.slice(4, -1).split(',');
    const entries = Object.entries(x as JsonObject).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [k, v] of entries) {
      const entry = new ByteWriter();
      writeValue(entry, 1, keyType, k, at);
      writeValue(entry, 2, valueType, v, `${at}.${k}`);
      w.delimited(num, entry.bytes());
    }
    return;
  }
  // gogo emits non-pointer fields always (zero values included) and pointer fields when set.
  if ((flags & POINTER) && x == null) return;
  writeValue(w, num, type, x, at);
}

function writeValue(w: ByteWriter, num: number, type: string, x: Json, at: string): void {
  switch (type) {
    case 'string':
      if (x != null && typeof x !== 'string') throw new EncodeError(`${at}: expected a string`);
      return w.string(num, (x as string) ?? '');
    case 'bool':
      w.tag(num, 0);
      return w.varint(x ? 1 : 0);
    case 'int32':
    case 'int64':
    case 'uint32':
    case 'uint64':
      w.tag(num, 0);
      return w.varint(toInteger(x, at));
    case 'float64':
      return w.double(num, Number(x ?? 0));
    case 'bytes':
      return w.delimited(num, x == null ? new Uint8Array() : Buffer.from(String(x), 'base64'));
    default:
      return w.delimited(num, encodeMessage(type, x));
  }
}

function toInteger(x: Json, at: string): number | bigint {
  if (x == null) return 0;
  if (typeof x === 'number' && Number.isInteger(x)) return x;
  if (typeof x === 'string' && /^-?\d+$/.test(x)) return BigInt(x);
  throw new EncodeError(`${at}: expected an integer`);
}

/** Parses an RFC 3339 time into whole seconds and nanoseconds since the epoch. */
export function parseTime(s: string, at: string): { seconds: number; nanos: number } {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(s);
  if (!m) throw new EncodeError(`${at}: expected an RFC 3339 time, got ${JSON.stringify(s)}`);
  const ms = Date.parse(`${m[1]}${m[3]}`);
  return { seconds: Math.floor(ms / 1000), nanos: m[2] ? Number(m[2].padEnd(9, '0')) : 0 };
}

function writeTimestamp(w: ByteWriter, x: Json, at: string, micro: boolean): void {
  // metav1.Time marshals as a Timestamp {seconds, nanos}; both fields are always written, and a zero
  // time is an empty message. Time keeps no sub-second part in JSON; MicroTime keeps microseconds.
  if (x == null || x === '') return;
  const t = parseTime(String(x), at);
  w.tag(1, 0);
  w.varint(t.seconds);
  w.tag(2, 0);
  w.varint(micro ? t.nanos - (t.nanos % 1000) : t.nanos);
}

const DURATION_UNITS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** A Go duration string (1h2m3.5s) in nanoseconds. */
export function parseGoDuration(s: string, at: string): number {
  const re = /(\d+(?:\.\d*)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let rest = s.startsWith('-') ? s.slice(1) : s;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = re.exec(rest)) !== null) {
    total += Number(match[1]) * DURATION_UNITS[match[2]];
    consumed = re.lastIndex;
  }
  if (consumed !== rest.length || rest === '') throw new EncodeError(`${at}: expected a Go duration, got ${s}`);
  return s.startsWith('-') ? -Math.round(total) : Math.round(total);
}

type SpecialWriter = (w: ByteWriter, x: Json, at: string) => void;

// Types whose generated code is hand-written upstream (apimachinery), or that hold raw JSON.
const SPECIAL: Record<string, SpecialWriter> = {
  Time: (w, x, at) => writeTimestamp(w, x, at, false),
  MicroTime: (w, x, at) => writeTimestamp(w, x, at, true),
  Duration: (w, x, at) => {
    w.tag(1, 0);
    w.varint(parseGoDuration(String(x ?? '0s'), at));
  },
  // resource.Quantity marshals its canonical string as field 1.
  // SIM: the string is taken as given; the API server always returns canonical quantities.
  Quantity: (w, x) => w.string(1, x == null ? '0' : String(x)),
  // intstr.IntOrString: type (0 int, 1 string), intVal, strVal, all three always written.
  IntOrString: (w, x) => {
    const isString = typeof x === 'string';
    w.tag(1, 0);
    w.varint(isString ? 1 : 0);
    w.tag(2, 0);
    w.varint(isString ? 0 : Number(x ?? 0));
    w.string(3, isString ? (x as string) : '');
  },
  // FieldsV1 and RawExtension carry their JSON text as raw bytes.
  FieldsV1: (w, x) => w.delimited(1, utf8Bytes(goJson(x ?? {}))),
  RawExtension: (w, x) => {
    if (x != null) w.delimited(1, utf8Bytes(goJson(x)));
  },
};
