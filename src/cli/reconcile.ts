// `slicesim reconcile`: the writes one controller sync would make for a List of real objects, with the
// controllers of a release's profile (`--kubernetes`, default the newest); explicit flags win.
import { readObjects } from '../k8s/read.js';
import { reconcileList, type ReconcileOptions } from '../k8s/reconcile.js';
import { NEWEST, parseVersion, profileFor, VERSION_HELP } from '../scenario/versions.js';
import { UsageError } from './errors.js';

export interface ReconcileFlags {
  controller: string;
  maxEndpointsPerSlice?: number;
  maxEndpoints?: number;
  kubernetes?: string;
}

/** The reconcile options of a release's profile, with the flags given on top. */
export function reconcileOptions(flags: ReconcileFlags): ReconcileOptions {
  if (flags.controller !== 'endpointslice' && flags.controller !== 'endpoints') {
    throw new UsageError(`--controller: unknown controller "${flags.controller}"; allowed: endpointslice, endpoints`);
  }
  const version = parseVersion(flags.kubernetes ?? NEWEST);
  if (!version) throw new UsageError(`--kubernetes: got ${JSON.stringify(flags.kubernetes)}; expected ${VERSION_HELP}`);
  const profile = profileFor(version);
  return {
    controller: flags.controller,
    kubernetes: version,
    maxEndpointsPerSlice: flags.maxEndpointsPerSlice ?? 100,
    maxEndpoints: flags.maxEndpoints ?? (profile.get('endpointsController.maxEndpoints') as number),
    overCapacity: profile.get('endpointsController.overCapacity') as ReconcileOptions['overCapacity'],
    managedByLabel: profile.get('endpointsController.managedByLabel') as boolean,
    terminatingCondition: profile.get('endpointSliceController.terminatingCondition') as boolean,
    trafficDistributions: profile.get('endpointSliceController.trafficDistributions') as string[],
    topologyAwareHints: profile.get('endpointSliceController.topologyAwareHints') as boolean,
  };
}

export function reconcileCommand(file: string, flags: ReconcileFlags): void {
  const opts = reconcileOptions(flags);
  const result = reconcileList(file, readObjects(file), opts);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
