// Limits checked before simulating (SPEC.md "Safety of the command line"): a scenario that cannot
// fit the cluster it describes (pods per node, pod addresses), that would take more than 10 million
// samples, or whose estimated size (nodes, pods, samples, events) exceeds the machine's memory is
// refused with exit 2, naming the key. The estimates are deliberately rough upper bounds: they keep
// 10^9 nodes, steps a million hours away, a 0 s sample interval or churn at 10^9 pods/s from running
// out of memory minutes later, while every committed scenario, bench/scale-100k.yaml and a
// 1,000,000-endpoint rollout on 10,000 nodes pass.
import { totalmem } from 'node:os';
import type { Delay, Scenario } from './schema.js';
import { bandwidth, duration } from './units.js';
import { podCIDRFits, podsPerNode } from '../workload/cluster.js';

export const MAX_SAMPLES = 10_000_000;

/** A limit passed while simulating (the estimate before was short): one line, exit 1. */
export class LimitError extends Error {}
/** Pods created over a run (initial, replacements, churn): beyond this a run takes hours. */
export const MAX_POD_CREATIONS = 20_000_000;
/** Node names and addresses stay distinct and valid up to 2^24 nodes; far beyond any real cluster. */
export const MAX_NODES = 2 ** 24;

/**
 * Rough bytes per thing kept in memory, rounded up from bench/scale-100k.yaml (125,000 pods at the
 * rollout's peak on 5,000 nodes: 0.65 GB peak RSS for both models in session 5, 0.79-0.92 GB before;
 * the estimate is 0.67 GB). bench/scale-1m.yaml (1.25 million pods) peaks at 4.0 GB under Node's
 * default heap limit, about 3.2 kB per pod: large runs cost less per pod, so this stays an upper bound.
 */
const BYTES = { node: 1500, pod: 5000, podCreated: 200, sample: 500, instance: 4096 };

const fmt = (n: number) => (n >= 1e15 ? n.toExponential(2) : Math.round(n).toLocaleString('en-US'));
const gb = (bytes: number) => `${(bytes / 1e9).toFixed(1)} GB`;

/** A generous upper bound of a delay: its value, max, or a far quantile. */
function delayBound(d: Delay): number {
  if (typeof d === 'string') return duration(d);
  switch (d.dist) {
    case 'fixed':
      return duration(d.value);
    case 'uniform':
      return duration(d.max);
    case 'exponential':
      return 10 * duration(d.mean);
    case 'lognormal':
      return 3 * duration(d.p99);
  }
}

/** maxSurge of a rollout as the Deployment controller resolves it (percent rounded up). */
function surge(maxSurge: number | string, replicas: number): number {
  return typeof maxSurge === 'number' ? maxSurge : Math.ceil((replicas * Number(maxSurge.slice(0, -1))) / 100);
}

interface ServicePeak {
  peak: number;
  /** The key that sets the peak, for the message. */
  key: string;
}

/** Problems with the scenario's size, each naming the key; [] when it may run. */
export function checkLimits(s: Scenario): string[] {
  return measure(s).problems;
}

/** The estimated peak memory of a run of the scenario, in bytes (the scenario as written, defaults filled in). */
export function estimateMemory(s: Scenario): number {
  return measure(s).estimate;
}

function measure(s: Scenario): { problems: string[]; estimate: number } {
  const problems: string[] = [];
  const nodes = s.cluster.nodes;
  if (nodes > MAX_NODES) problems.push(`cluster.nodes: ${fmt(nodes)} is more than slicesim models (at most ${fmt(MAX_NODES)})`);
  const mask = s.cluster.podCIDRMaskSize;
  if (s.services.some((svc) => svc.ipFamilies.includes('IPv4')) && !podCIDRFits(Math.min(nodes, MAX_NODES), mask)) {
    problems.push(`cluster.nodes: ${fmt(nodes)} pod CIDRs of /${mask} (cluster.podCIDRMaskSize) do not fit in the IPv4 address space from 10.64.0.0; use fewer nodes or a larger mask size`);
  }

  // Pods per node: the most pods each service has at once (replicas, a rollout's surge, replacements of deleted pods).
  const perNode = podsPerNode(mask, s.cluster.maxPodsPerNode);
  const index = new Map(s.services.map((svc, i) => [svc.name, i]));
  const replicas = s.services.map((svc) => svc.replicas);
  const peaks: ServicePeak[] = s.services.map((svc, i) => ({ peak: svc.replicas, key: `services[${i}].replicas` }));
  let created = replicas.reduce((a, b) => a + b, 0);
  let createdKey = 'services';
  const raise = (i: number, peak: number, key: string) => {
    if (peak > peaks[i].peak) peaks[i] = { peak, key };
  };
  let lastEnd = 0;
  s.workload.forEach((step, j) => {
    const at: number = duration(step.at);
    let end: number = at;
    const i = 'service' in step ? index.get(step.service) : undefined;
    const before = created;
    if (i !== undefined) {
      switch (step.action) {
        case 'replace':
          created += step.count;
          end = at + step.count * duration(step.interval);
          break;
        case 'rollingUpdate':
          raise(i, replicas[i] + surge(step.maxSurge, replicas[i]), `workload[${j}].maxSurge`);
          created += replicas[i];
          break;
        case 'scale':
          created += Math.max(0, step.replicas - replicas[i]);
          replicas[i] = step.replicas;
          raise(i, step.replicas, `workload[${j}].replicas`);
          break;
        case 'deletePods':
          raise(i, replicas[i] + Math.min(step.count, replicas[i]), `workload[${j}].count`);
          created += Math.min(step.count, replicas[i]);
          break;
        case 'churn':
          created += step.rate * (duration(step.duration) / 1e6);
          end = at + duration(step.duration);
          break;
      }
    }
    if (step.action === 'watcherStall') end = at + duration(step.duration);
    if (created - before > 0 && created > MAX_POD_CREATIONS && createdKey === 'services') createdKey = `workload[${j}]`;
    lastEnd = Math.max(lastEnd, end);
  });
  const peakPods = peaks.reduce((a, p) => a + p.peak, 0);
  if (peakPods > nodes * perNode) {
    const worst = peaks.reduce((a, p) => (p.peak > a.peak ? p : a));
    problems.push(
      `${worst.key}: up to ${fmt(peakPods)} pods at once do not fit on ${fmt(nodes)} nodes of ${perNode} pods each ` +
        `(cluster.maxPodsPerNode ${s.cluster.maxPodsPerNode}; a /${mask} pod CIDR, cluster.podCIDRMaskSize, holds ${2 ** (32 - mask) - 2} addresses): ` +
        `at most ${fmt(nodes * perNode)} pods, surge and replacements included`,
    );
  }
  // A service kept to some zones (services[].zones) has only those zones' nodes.
  const zones = s.cluster.zones;
  s.services.forEach((svc, i) => {
    if (!svc.zones || zones.length === 0) return;
    const inZones = zones.reduce((n, z, k) => n + (svc.zones!.includes(z) ? Math.floor(nodes / zones.length) + (k < nodes % zones.length ? 1 : 0) : 0), 0);
    if (peaks[i].peak > inZones * perNode) {
      problems.push(`${peaks[i].key}: up to ${fmt(peaks[i].peak)} pods of services[${i}] do not fit on the ${fmt(inZones)} nodes of its zones (services[${i}].zones) at ${perNode} pods each (cluster.maxPodsPerNode, cluster.podCIDRMaskSize)`);
    }
  });
  if (created > MAX_POD_CREATIONS) {
    problems.push(`${createdKey}: the run would create about ${fmt(created)} pods (replacements and churn included); at most ${fmt(MAX_POD_CREATIONS)}`);
  }

  // Samples: the run's length (until, or the last step's end plus what follows it) over sampleEvery.
  const every = duration(s.sampleEvery);
  if (every <= 0) problems.push('sampleEvery: must be more than 0 (e.g. 1s)');
  else {
    const delays = s.services.flatMap((svc) => [svc.pod.startupDelay, svc.pod.readinessDelay, svc.pod.terminationGracePeriod].map(delayBound));
    const initialWrites = s.services.reduce((n, svc) => n + Math.ceil(svc.replicas / s.endpointSliceController.maxEndpointsPerSlice) * svc.ipFamilies.length + 1, 0);
    const tail = 60e6 + Math.max(0, ...delays) + duration(s.kubeProxy.syncPeriod) + (initialWrites / s.controllerManager.qps) * 1e6;
    const end = s.until !== undefined ? duration(s.until) : lastEnd + tail;
    const samples = end / every;
    if (samples > MAX_SAMPLES) {
      const last = s.workload.length - 1;
      const why = s.until !== undefined ? `until ${s.until}` : last >= 0 ? `a run of about ${fmt(end / 1e6)} s (workload[${last}].at ${s.workload[last].at} and what follows)` : `a run of about ${fmt(end / 1e6)} s`;
      problems.push(`sampleEvery: ${s.sampleEvery} over ${why} gives ${fmt(samples)} samples; at most ${fmt(MAX_SAMPLES)}: raise sampleEvery or set until`);
    }
  }
  const bw = bandwidth(s.apiserver.egressBandwidth);
  if (bw > 0 && bw < 1000) problems.push(`apiserver.egressBandwidth: ${s.apiserver.egressBandwidth} is below 1kbps; use 0 for unlimited or at least 1kbps`);

  // Memory: nodes, the pods alive at once, every pod created (names are kept), samples of every model.
  const samples = every > 0 ? Math.min(MAX_SAMPLES, (s.until !== undefined ? duration(s.until) : lastEnd + 600e6) / every) : 0;
  const estimate =
    nodes * BYTES.node + peakPods * BYTES.pod + created * BYTES.podCreated + samples * BYTES.sample * s.models.length + s.apiserver.instances * BYTES.instance;
  const available = totalmem() * 0.8;
  if (estimate > available) {
    const parts: [string, number][] = [
      ['cluster.nodes', nodes * BYTES.node],
      [peaks.reduce((a, p) => (p.peak > a.peak ? p : a)).key, peakPods * BYTES.pod],
      [createdKey, created * BYTES.podCreated],
      ['sampleEvery', samples * BYTES.sample * s.models.length],
      ['apiserver.instances', s.apiserver.instances * BYTES.instance],
    ];
    const [key] = parts.reduce((a, b) => (b[1] > a[1] ? b : a));
    problems.push(`${key}: the run would need about ${gb(estimate)} of memory; this machine has ${gb(totalmem())} (at most ${gb(available)} usable)`);
  }
  return { problems, estimate };
}
