// What the EndpointSlice controller writes around the endpoints: labels, owner reference and the
// generateName of a new slice, and the comparisons it makes on them (utils.go in k8s.io/endpointslice).
import { LABEL_HEADLESS, type AddressType, type Service } from '../../model/cluster.js';
import { CONTROLLER_NAME, EndpointSlice, LABEL_MANAGED_BY, LABEL_SERVICE_NAME, type EndpointPort } from '../../model/endpointslice.js';
import type { ObjectMeta } from '../../model/meta.js';

const RESERVED_LABELS = new Set([LABEL_SERVICE_NAME, LABEL_MANAGED_BY, LABEL_HEADLESS]);

/** setEndpointSliceLabels: the service's labels (reserved keys dropped) plus the controller's own. */
export function desiredSliceLabels(service: Service): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(service.labels)) if (!RESERVED_LABELS.has(k)) labels[k] = v;
  if (service.headless) labels[LABEL_HEADLESS] = '';
  labels[LABEL_SERVICE_NAME] = service.name;
  labels[LABEL_MANAGED_BY] = CONTROLLER_NAME;
  return labels;
}

export function sameLabels(a: Readonly<Record<string, string>> = {}, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
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

/** placeholderSliceCompare: same namespace, labels, owner, address type, and no ports or endpoints. */
export function isPlaceholderOf(slice: EndpointSlice, placeholder: EndpointSlice): boolean {
  const ownerA = JSON.stringify(slice.metadata.ownerReferences ?? []);
  const ownerB = JSON.stringify(placeholder.metadata.ownerReferences ?? []);
  return (
    slice.metadata.namespace === placeholder.metadata.namespace &&
    sameLabels(slice.metadata.labels, placeholder.metadata.labels ?? {}) &&
    ownerA === ownerB &&
    slice.addressType === placeholder.addressType &&
    slice.endpoints.length === 0 &&
    slice.ports.length === 0
  );
}
