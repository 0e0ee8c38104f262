// The byte length of what encode.ts would write, computed without writing it: the same walk over
// the same field table (schema.generated.ts), counting instead of copying. Metadata changes with every
// write (resourceVersion, generation, trigger time), so it is measured on every write; this keeps
// that measurement free of buffers. Tests check it against encodeMessage on every fixture.
import { MESSAGES, type FieldRow } from './schema.generated.js';
import { goJson } from '../json.js';
import { parseGoDuration, parseTime } from './encode.js';
import { varintSize } from './wire.js';

const POINTER = 1;
const REPEATED = 2;
const INLINE = 4;

type Json = unknown;
type JsonObject = Record<string, Json>;

const tagSize = (num: number) => varintSize(num << 3);
const delimited = (num: number, payload: number) => tagSize(num) + varintSize(payload) + payload;
const utf8Length = (s: string) => Buffer.byteLength(s, 'utf8');

/** Bytes of `value` (JSON form) encoded as the protobuf message `type`: encodeMessage(type, value).length. */
export function messageBytes(type: string, value: Json): number {
  const special = SPECIAL[type];
  if (special) return special(value);
  const rows = MESSAGES[type];
  if (!rows) throw new Error(`no protobuf schema for ${type}`);
  return rowsBytes(rows, value);
}

/** Bytes of the fields of `rows` (a message's field table, or part of it) taken from `value`. */
export function rowsBytes(rows: readonly FieldRow[], value: Json): number {
  const obj = (value ?? {}) as JsonObject;
  let n = 0;
  for (const row of rows) n += fieldBytes(row, obj);
  return n;
}

function fieldBytes([name, num, type, flags]: FieldRow, obj: JsonObject): number {
  if (flags & INLINE) return delimited(num, messageBytes(type, obj));
  const x = obj[name];
  if (flags & REPEATED) {
    if (x == null) return 0;
    let n = 0;
    for (const el of x as Json[]) n += valueBytes(num, type, el);
    return n;
  }
  if (type.startsWith('map<')) {
    if (x == null) return 0;
    const [keyType, valueType] = type.slice(4, -1).split(',');
    let n = 0;
    for (const k in x as JsonObject) n += delimited(num, valueBytes(1, keyType, k) + valueBytes(2, valueType, (x as JsonObject)[k]));
    return n;
  }
  if ((flags & POINTER) && x == null) return 0;
  return valueBytes(num, type, x);
}

/** Varint length of an int64 as gogo writes it (negative values take 10 bytes). */
function integerBytes(x: Json): number {
  if (x == null) return 1;
  if (typeof x === 'number') return varintSize(x);
  let v = BigInt.asUintN(64, BigInt(x as string));
  let n = 1;
  while (v >= 128n) {
    v >>= 7n;
    n++;
  }
  return n;
}

function valueBytes(num: number, type: string, x: Json): number {
  switch (type) {
    case 'string':
      return delimited(num, utf8Length((x as string) ?? ''));
    case 'bool':
      return tagSize(num) + 1;
    case 'int32':
    case 'int64':
    case 'uint32':
    case 'uint64':
      return tagSize(num) + integerBytes(x);
    case 'float64':
      return tagSize(num) + 8;
    case 'bytes':
      return delimited(num, x == null ? 0 : Buffer.from(String(x), 'base64').length);
    default:
      return delimited(num, messageBytes(type, x));
  }
}

/** Timestamps repeat (one per second of simulated time): their sizes are kept by text. */
const timeBytes = new Map<string, number>();

function timestampBytes(x: Json, micro: boolean): number {
  if (x == null || x === '') return 0;
  const s = String(x);
  const key = micro ? `µ${s}` : s;
  let n = timeBytes.get(key);
  if (n === undefined) {
    const t = parseTime(s, 'time');
    n = 2 + varintSize(t.seconds) + varintSize(micro ? t.nanos - (t.nanos % 1000) : t.nanos);
    if (timeBytes.size > 4096) timeBytes.clear();
    timeBytes.set(key, n);
  }
  return n;
}

/** FieldsV1 sets are shared objects (managed-fields.ts builds one per shape): their JSON length is kept per object. */
const rawJsonBytes = new WeakMap<object, number>();

function fieldsV1Bytes(x: Json): number {
  const obj = (x ?? {}) as object;
  let n = rawJsonBytes.get(obj);
  if (n === undefined) rawJsonBytes.set(obj, (n = utf8Length(goJson(obj))));
  return delimited(1, n);
}

// The hand-written types of encode.ts, counted the same way.
const SPECIAL: Record<string, (x: Json) => number> = {
  Time: (x) => timestampBytes(x, false),
  MicroTime: (x) => timestampBytes(x, true),
  Duration: (x) => 1 + integerBytes(parseGoDuration(String(x ?? '0s'), 'duration')),
  Quantity: (x) => delimited(1, utf8Length(x == null ? '0' : String(x))),
  IntOrString: (x) => {
    const isString = typeof x === 'string';
    return 2 + 1 + integerBytes(isString ? 0 : Number(x ?? 0)) + delimited(3, utf8Length(isString ? (x as string) : ''));
  },
  FieldsV1: fieldsV1Bytes,
  RawExtension: (x) => (x == null ? 0 : delimited(1, utf8Length(goJson(x)))),
};
