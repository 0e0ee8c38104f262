// ObjectMeta as the API server stores and sends it, and the sizes of it. Metadata is small and
// changes with every write (resourceVersion, generation, trigger time), so it is measured at write
// time by counting what the encoder would write (protobuf/size.ts); endpoint lists are summed incrementally.
import { rowsBytes } from './protobuf/size.js';
import { MESSAGES } from './protobuf/schema.generated.js';
import { MICROS_PER_SECOND, type Micros } from '../engine/time.js';

/** Simulated time 0 on the wall clock, so that timestamps have realistic lengths. */
export const EPOCH_MS = Date.UTC(2026, 0, 1);

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller: boolean;
  blockOwnerDeletion: boolean;
}

export interface ManagedFieldsEntry {
  manager: string;
  operation: string;
  apiVersion: string;
  time: string;
  fieldsType: string;
  fieldsV1: unknown;
}

/** metav1.ObjectMeta with the fields the endpoint objects use, in Go field order (JSON order). */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  managedFields?: ManagedFieldsEntry[];
}

/** The last second formatted: every write stamps its time, and writes come many to a second. */
let lastSecond = NaN;
let lastText = '';

/** RFC 3339 with whole seconds, as metav1.Time writes it. */
export function rfc3339(t: Micros): string {
  const second = Math.floor(t / MICROS_PER_SECOND);
  if (second !== lastSecond) {
    lastText = new Date(EPOCH_MS + second * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    lastSecond = second;
  }
  return lastText;
}

/** RFC 3339 with nanoseconds, trailing zeros dropped, as Go's time.RFC3339Nano writes it. */
export function rfc3339Nano(t: Micros): string {
  const whole = rfc3339(t);
  const frac = String((t % MICROS_PER_SECOND) * 1000).padStart(9, '0').replace(/0+$/, '');
  return frac ? whole.replace(/Z$/, `.${frac}Z`) : whole;
}

/** Go marshals maps with sorted keys; build label and annotation maps that way. */
export function sortedMap(m: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(m).sort()) out[k] = m[k];
  return out;
}

/** The ObjectMeta fields endpoint objects carry, in Go field order. */
const META_FIELDS: (keyof ObjectMeta)[] = ['name', 'generateName', 'namespace', 'uid', 'resourceVersion', 'generation',
  'creationTimestamp', 'labels', 'annotations', 'ownerReferences', 'managedFields'];

/** Copy of the metadata in Go field order, dropping empty fields (omitempty). */
export function normalizeMeta(m: ObjectMeta): ObjectMeta {
  const out: Record<string, unknown> = {};
  for (const k of META_FIELDS) {
    const v = m[k];
    if (v === undefined || v === '' || v === 0) continue;
    if (typeof v === 'object' && Object.keys(v).length === 0) continue;
    out[k] = k === 'labels' || k === 'annotations' ? sortedMap(v as Record<string, string>) : v;
  }
  return out as ObjectMeta;
}

/**
 * Bytes of the ObjectMeta message normalizeMeta(meta) encodes to, without copying: gogo writes every
 * non-pointer field, empty or not, and map entries cost the same in any order.
 */
export function metaProtobufBytes(meta: ObjectMeta): number {
  return rowsBytes(META_ROWS, meta) + DROPPED_FIELDS_BYTES;
}

/** ObjectMeta's protobuf fields that normalizeMeta keeps. */
const META_ROWS = MESSAGES['meta.ObjectMeta'].filter(([name]) => (META_FIELDS as string[]).includes(name));
/** The others are encoded as absent (their zero values: an empty selfLink still takes 2 bytes). */
const DROPPED_FIELDS_BYTES = rowsBytes(MESSAGES['meta.ObjectMeta'].filter(([name]) => !(META_FIELDS as string[]).includes(name)), {});
