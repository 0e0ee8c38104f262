// The scenario resolved once, at load (DESIGN "Scenario resolved once"): durations become integer
// microseconds, sizes bytes, bandwidths bytes per second and delay distributions samplers, so no
// component parses a unit string while the simulation runs. Keys that hold no unit pass through as
// the schema gave them; `source` keeps the scenario as written (defaults filled in) for run.json and
// `slicesim validate`.
import type { Rng } from '../engine/rng.js';
import { micros, type Micros } from '../engine/time.js';
import type { Delay, Scenario, ServiceSpec, WorkloadStep } from './schema.js';
import { bandwidth, duration, size } from './units.js';

/** Draws one delay from the run's generator (constant delays draw nothing). */
export type Sampler = (rng: Rng) => Micros;

type Override<T, U> = Omit<T, keyof U> & U;

/** Step keys that hold a duration. */
const STEP_DURATIONS = ['at', 'interval', 'duration'] as const;
type StepDuration = (typeof STEP_DURATIONS)[number];
export type ResolvedStep = WorkloadStep extends infer S ? (S extends unknown ? { [K in keyof S]: K extends StepDuration ? Micros : S[K] } : never) : never;

type PodTemplate = ServiceSpec['pod'];
export type ResolvedPodTemplate = Override<
  PodTemplate,
  { startupDelay: Sampler; readinessDelay: Sampler; terminationGracePeriod: Sampler; shutdownDelay: Sampler }
>;
export type ResolvedServiceSpec = Override<ServiceSpec, { pod: ResolvedPodTemplate }>;

export type ResolvedScenario = Override<
  Scenario,
  {
    /** The scenario as written with defaults filled in: what run.json and `validate` print. */
    source: Scenario;
    until: Micros | undefined;
    etcd: Override<Scenario['etcd'], { maxRequestBytes: number; quotaBackendBytes: number; compactionInterval: Micros }>;
    endpointsController: Override<Scenario['endpointsController'], { batchPeriod: Micros }>;
    endpointSliceController: Override<Scenario['endpointSliceController'], { batchPeriod: Micros }>;
    controllerManager: Override<Scenario['controllerManager'], { informerDelay: Micros; syncCost: { base: Micros; perEndpoint: Micros } }>;
    /** egressBandwidth in bytes per second (the scenario writes bits per second); 0 is unlimited. */
    apiserver: Override<Scenario['apiserver'], { egressBandwidth: number }>;
    kubeProxy: Override<
      Scenario['kubeProxy'],
      { minSyncPeriod: Micros; syncPeriod: Micros; syncCost: { base: Micros; perEndpoint: Micros } }
    >;
    sampleEvery: Micros;
    services: ResolvedServiceSpec[];
    workload: ResolvedStep[];
  }
>;

/** z-score of the 99th percentile of a standard normal. */
const Z99 = 2.3263478740408408;

/** A delay written as data (a duration or a distribution) as a sampler; parameters are parsed here, once. */
export function sampler(d: Delay): Sampler {
  if (typeof d === 'string') {
    const v = duration(d);
    return () => v;
  }
  switch (d.dist) {
    case 'fixed': {
      const v = duration(d.value);
      return () => v;
    }
    case 'uniform': {
      const min = duration(d.min);
      const max = duration(d.max);
      return (rng) => micros(rng.uniform(min, max));
    }
    case 'exponential': {
      const mean = duration(d.mean);
      return (rng) => micros(rng.exponential(mean));
    }
    case 'lognormal': {
      // median = e^mu, p99 = e^(mu + Z99 sigma)
      const mu = Math.log(duration(d.median));
      const sigma = Math.max(0, (Math.log(duration(d.p99)) - mu) / Z99);
      return (rng) => micros(Math.exp(mu + sigma * rng.normal()));
    }
  }
}

function resolveStep(step: WorkloadStep): ResolvedStep {
  const out: Record<string, unknown> = { ...step };
  for (const k of STEP_DURATIONS) if (typeof out[k] === 'string') out[k] = duration(out[k] as string);
  return out as ResolvedStep;
}

function resolveService(s: ServiceSpec): ResolvedServiceSpec {
  const p = s.pod;
  return {
    ...s,
    pod: {
      ...p,
      startupDelay: sampler(p.startupDelay),
      readinessDelay: sampler(p.readinessDelay),
      terminationGracePeriod: sampler(p.terminationGracePeriod),
      shutdownDelay: sampler(p.shutdownDelay),
    },
  };
}

/** Resolves every unit of a validated scenario (the schema has already checked that each one parses). */
export function resolveUnits(s: Scenario): ResolvedScenario {
  const cm = s.controllerManager;
  const kp = s.kubeProxy;
  return {
    ...s,
    source: s,
    until: s.until === undefined ? undefined : duration(s.until),
    etcd: { ...s.etcd, maxRequestBytes: size(s.etcd.maxRequestBytes), quotaBackendBytes: size(s.etcd.quotaBackendBytes), compactionInterval: duration(s.etcd.compactionInterval) },
    endpointsController: { ...s.endpointsController, batchPeriod: duration(s.endpointsController.batchPeriod) },
    endpointSliceController: { ...s.endpointSliceController, batchPeriod: duration(s.endpointSliceController.batchPeriod) },
    controllerManager: { ...cm, informerDelay: duration(cm.informerDelay), syncCost: { ...cm.syncCost, base: duration(cm.syncCost.base), perEndpoint: duration(cm.syncCost.perEndpoint) } },
    apiserver: { ...s.apiserver, egressBandwidth: bandwidth(s.apiserver.egressBandwidth) / 8 },
    kubeProxy: {
      ...kp,
      minSyncPeriod: duration(kp.minSyncPeriod),
      syncPeriod: duration(kp.syncPeriod),
      syncCost: { ...kp.syncCost, base: duration(kp.syncCost.base), perEndpoint: duration(kp.syncCost.perEndpoint) },
    },
    sampleEvery: duration(s.sampleEvery),
    services: s.services.map(resolveService),
    workload: s.workload.map(resolveStep),
  };
}

/** The same scenario with a different seed or models (command-line overrides), printed as run. */
export function withOverrides(s: ResolvedScenario, seed: number, models: Scenario['models']): ResolvedScenario {
  return { ...s, seed, models, source: { ...s.source, seed, models } };
}
