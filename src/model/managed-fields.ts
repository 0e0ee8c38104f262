// The managedFields entry the API server records for a controller's Update: which fields the
// manager owns, as FieldsV1 JSON (structured-merge-diff's field set). Atomic lists (Endpoints.subsets,
// EndpointSlice.endpoints and ports) are owned as a whole, so the set does not grow with endpoints.
import type { ManagedFieldsEntry, ObjectMeta } from './meta.js';

const mapFields = (m: Record<string, string> | undefined) => {
  const out: Record<string, object> = { '.': {} };
  for (const k of Object.keys(m ?? {}).sort()) out[`f:${k}`] = {};
  return out;
};

/** FieldsV1 for an object owning `fields` (top-level, besides metadata) and its metadata's fields. */
export function fieldsV1(meta: ObjectMeta, fields: readonly string[]): Record<string, object> {
  const metaSet: Record<string, object> = {};
  if (meta.annotations && Object.keys(meta.annotations).length) metaSet['f:annotations'] = mapFields(meta.annotations);
  if (meta.generateName) metaSet['f:generateName'] = {};
  if (meta.labels && Object.keys(meta.labels).length) metaSet['f:labels'] = mapFields(meta.labels);
  if (meta.ownerReferences?.length) {
    const refs: Record<string, object> = { '.': {} };
    for (const r of meta.ownerReferences) refs[`k:{"uid":"${r.uid}"}`] = {};
    metaSet['f:ownerReferences'] = refs;
  }
  const out: Record<string, object> = {};
  for (const f of [...fields].sort()) out[`f:${f}`] = {};
  out['f:metadata'] = metaSet;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The field set depends only on which keys are present, so it is built once per shape and shared. */
const fieldSets = new Map<string, Record<string, object>>();

function sharedFieldsV1(meta: ObjectMeta, fields: readonly string[]): Record<string, object> {
  const shape = [
    fields.join(','),
    Object.keys(meta.annotations ?? {}).join(','),
    Object.keys(meta.labels ?? {}).join(','),
    (meta.ownerReferences ?? []).map((r) => r.uid).join(','),
    meta.generateName ? 'g' : '',
  ].join('|');
  let set = fieldSets.get(shape);
  if (!set) fieldSets.set(shape, (set = fieldsV1(meta, fields)));
  return set;
}

export function managedFieldsEntry(meta: ObjectMeta, apiVersion: string, time: string, fields: readonly string[]): ManagedFieldsEntry {
  return { manager: 'kube-controller-manager', operation: 'Update', apiVersion, time, fieldsType: 'FieldsV1', fieldsV1: sharedFieldsV1(meta, fields) };
}
