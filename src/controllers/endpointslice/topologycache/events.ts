// The events the topology cache emits (k8s.io/endpointslice topologycache/event.go): built by the
// functions that decide, published by the caller (`slicesim reconcile` reports them under "events").

export const NO_ZONE_SPECIFIED = 'One or more endpoints do not have a zone specified';
export const NO_ALLOCATED_HINTS_FOR_ZONES = 'No hints allocated for zones';
export const TOPOLOGY_AWARE_HINTS_ENABLED = 'Topology Aware Hints has been enabled';
export const TOPOLOGY_AWARE_HINTS_DISABLED = 'Topology Aware Hints has been disabled';
export const INSUFFICIENT_NODE_INFO = 'Insufficient Node information: allocatable CPU or zone not specified on one or more nodes';
export const NODES_READY_IN_ONE_ZONE_ONLY = 'Nodes only ready in one zone';
export const INSUFFICIENT_NUMBER_OF_ENDPOINTS = 'Insufficient number of endpoints';
export const MIN_ALLOCATION_EXCEEDS_OVERLOAD_THRESHOLD = 'Unable to allocate minimum required endpoints to each zone without exceeding overload threshold';

/** EventBuilder: the v1.Event fields an event will carry. */
export interface TopologyEvent {
  type: 'Normal' | 'Warning';
  reason: 'TopologyAwareHintsEnabled' | 'TopologyAwareHintsDisabled';
  message: string;
}

export const hintsDisabled = (message: string): TopologyEvent => ({ type: 'Warning', reason: 'TopologyAwareHintsDisabled', message });

/** FormatWithAddressType. */
export const withAddressType = (message: string, addressType: string): string => `${message}, addressType: ${addressType}`;
