// Small builders for the topology table tests: endpoints and slices written as upstream's test
// tables write them (zone, node, ready, hints), and a plain view of them to compare.
import { EndpointSlice, makeEndpoint, type Endpoint, type EndpointHints } from '../src/model/endpointslice.js';

let n = 0;

export interface Ep {
  zone?: string;
  node?: string;
  ready?: boolean;
  hints?: EndpointHints;
}

export function ep(e: Ep): Endpoint {
  const i = ++n;
  return makeEndpoint(`ns/pod-${i}`, {
    addresses: [`10.1.2.${i % 250}`],
    conditions: { ready: e.ready ?? true, serving: e.ready ?? true, terminating: false },
    ...(e.node !== undefined ? { nodeName: e.node } : {}),
    ...(e.zone !== undefined ? { zone: e.zone } : {}),
    ...(e.hints ? { hints: e.hints } : {}),
  });
}

export function slice(...eps: Ep[]): EndpointSlice {
  return new EndpointSlice({ name: `slice-${++n}`, namespace: 'ns' }, 'IPv4', eps.map(ep), []);
}

export const hz = (...zones: string[]): EndpointHints => ({ forZones: zones });

/** What a test compares: each endpoint's zone, node, readiness and hints (absent when none). */
export function view(slices: readonly EndpointSlice[]): Ep[][] {
  return slices.map((s) =>
    s.endpoints.map((e) => ({
      ...(e.zone !== undefined ? { zone: e.zone } : {}),
      ...(e.nodeName !== undefined ? { node: e.nodeName } : {}),
      ready: e.conditions.ready,
      ...(e.hints ? { hints: e.hints } : {}),
    })),
  );
}

/** The same tables' expectations, in the same view. */
export function want(...slices: Ep[][]): Ep[][] {
  return slices.map((s) => s.map((e) => ({ ...e, ready: e.ready ?? true })));
}
