// `slicesim reconcile`: the writes one controller sync would make for a List of real objects.
import { readObjects } from '../k8s/read.js';
import { reconcileList, type ReconcileOptions } from '../k8s/reconcile.js';
import { UsageError } from './errors.js';

export function reconcileCommand(file: string, opts: { controller: string; maxEndpointsPerSlice: number; maxEndpoints: number }): void {
  if (opts.controller !== 'endpointslice' && opts.controller !== 'endpoints') {
    throw new UsageError(`--controller: unknown controller "${opts.controller}"; allowed: endpointslice, endpoints`);
  }
  const result = reconcileList(file, readObjects(file), opts as ReconcileOptions);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
