// What the EndpointSlice controller writes around the endpoints: labels, owner reference and the
// generateName of a new slice, and the comparisons it makes on them (utils.go and reconciler.go in
// k8s.io/endpointslice: setEndpointSliceLabels, isReservedLabelKey, newEndpointSlice, ownedBy,
// placeholderSliceCompare).
import { LABEL_HEADLESS, type AddressType, type Service } from '../../model/cluster.js';
import { CONTROLLER_NAME, EndpointSlice, LABEL_MANAGED_BY, LABEL_SERVICE_NAME, type EndpointPort } from '../../model/endpointslice.js';
import type { ObjectMeta, OwnerReference } from '../../model/meta.js';

/** isReservedLabelKey: the labels the controller owns; the Service's values for them are ignored. */
export function isReservedLabelKey(key: string): boolean {
  return key === LABEL_SERVICE_NAME || key === LABEL_MANAGED_BY || key === LABEL_HEADLESS;
}

/** setEndpointSliceLabels' result: the service's labels (reserved keys dropped) plus the controller's own. */
export function desiredSliceLabels(service: Service): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(service.labels)) if (!isReservedLabelKey(k)) labels[k] = v;
  if (service.headless) labels[LABEL_HEADLESS] = '';
  labels[LABEL_SERVICE_NAME] = service.name;
  labels[LABEL_MANAGED_BY] = CONTROLLER_NAME;
  return labels;
}

/**
 * setEndpointSliceLabels' "updated": whether the slice's labels differ from the service's, reserved
 * keys left out on both sides (a wrong managed-by or headless label alone is not a change).
 */
export function sliceLabelsChanged(slice: Readonly<Record<string, string>> | undefined, service: Service): boolean {
  let n = 0;
  for (const [k, v] of Object.entries(slice ?? {})) {
    if (isReservedLabelKey(k)) continue;
    if (!Object.hasOwn(service.labels, k) || service.labels[k] !== v) return true;
    n++;
  }
  for (const k of Object.keys(service.labels)) if (!isReservedLabelKey(k)) n--;
  return n !== 0;
}

export function ownedBy(slice: EndpointSlice, service: Service): boolean {
  return (slice.metadata.ownerReferences ?? []).some((r) => r.uid === service.uid && r.kind === 'Service' && r.apiVersion === 'v1');
}

/** newEndpointSlice: what the controller sends on a create (the server adds name, uid, …). */
export function newEndpointSlice(service: Service, addressType: AddressType, ports: readonly EndpointPort[]): EndpointSlice {
  const metadata: ObjectMeta = {
    generateName: `${service.name}-`,
    namespace: service.namespace,
    labels: desiredSliceLabels(service),
    ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: service.name, uid: service.uid, controller: true, blockOwnerDeletion: true }],
  };
  return new EndpointSlice(metadata, addressType, [], ports);
}

/** OwnerReference.String() equality: every field by value, an unset pointer differing from false. */
function ownerReferencesEqual(a: readonly OwnerReference[] = [], b: readonly OwnerReference[] = []): boolean {
  const fields: (keyof OwnerReference)[] = ['apiVersion', 'kind', 'name', 'uid', 'controller', 'blockOwnerDeletion'];
  return a.length === b.length && a.every((x, i) => fields.every((f) => (x[f] ?? undefined) === (b[i][f] ?? undefined)));
}

/**
 * placeholderSliceCompare (reconciler.go): Equalities.DeepEqual with ObjectMeta compared by namespace
 * and labels only (a missing label reads as "", so an empty-valued label equals none), owner
 * references by value, and nil equal to empty for endpoints and ports.
 */
export function placeholderSliceCompare(slice: EndpointSlice, placeholder: EndpointSlice): boolean {
  const a = slice.metadata;
  const b = placeholder.metadata;
  const la = a.labels ?? {};
  const lb = b.labels ?? {};
  const labelsEqual = Object.entries(la).every(([k, v]) => (lb[k] ?? '') === v) && Object.entries(lb).every(([k, v]) => (la[k] ?? '') === v);
  return (
    (a.namespace ?? '') === (b.namespace ?? '') &&
    labelsEqual &&
    ownerReferencesEqual(a.ownerReferences, b.ownerReferences) &&
    slice.addressType === placeholder.addressType &&
    slice.endpoints.length === placeholder.endpoints.length &&
    slice.ports.length === placeholder.ports.length
  );
}
