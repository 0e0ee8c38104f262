// Network programming latency samples (clusterloader2's NetworkProgrammingLatency: from an endpoint
// change at the controller to the rules in place on a node), kept per phase as (value, weight)
// pairs: one sample stands for every node of a cohort. Quantiles are weighted, computed with d3-array.
import { bisectLeft, cumsum } from 'd3-array';
import { doubled } from '../engine/float64.js';
import { networkProgrammingLatencyCl2, type Cl2Latency } from './cl2-statistic.js';

/** Samples of one phase, in arrival order, with the time each was taken (µs). */
class Samples {
  values = new Float64Array(1024);
  weights = new Float64Array(1024);
  times = new Float64Array(1024);
  length = 0;

  push(value: number, weight: number, time: number): void {
    if (this.length === this.values.length) {
      this.values = doubled(this.values);
      this.weights = doubled(this.weights);
      this.times = doubled(this.times);
    }
    this.values[this.length] = value;
    this.times[this.length] = time;
    this.weights[this.length++] = weight;
  }
}

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** (value, weight) pairs sorted once, for any number of weighted quantiles. */
class Distribution {
  private readonly sorted: number[];
  private readonly cumulative: Float64Array;

  constructor(values: ArrayLike<number>, weights: ArrayLike<number>) {
    const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a] - values[b] || a - b);
    this.sorted = order.map((i) => values[i]);
    this.cumulative = cumsum(order, (i) => weights[i]);
  }

  get weight(): number {
    return this.cumulative.length ? this.cumulative[this.cumulative.length - 1] : 0;
  }

  /** The smallest value whose cumulative weight reaches q (0..1) of the total; NaN without samples. */
  quantile(q: number): number {
    const n = this.sorted.length;
    if (n === 0) return NaN;
    return this.sorted[Math.min(n - 1, bisectLeft(this.cumulative, q * this.weight))];
  }
}

/** The weighted q-quantiles (0..1) of (value, weight) pairs: the smallest value whose cumulative weight reaches q. */
export function weightedQuantiles(values: ArrayLike<number>, weights: ArrayLike<number>, qs: readonly number[]): number[] {
  const d = new Distribution(values, weights);
  return qs.map((q) => d.quantile(q));
}

export class LatencyRecorder {
  private readonly byPhase: Samples[] = [];
  /** Distributions already sorted, by phase ('all' merges every phase); dropped when samples arrive. */
  private readonly sorted = new Map<number | 'all', Distribution>();

  /** When each phase started and the run ended (µs), for the clusterloader2 statistic. */
  readonly phaseStarts: number[] = [0];
  end = 0;

  /** A latency in ms observed by `weight` nodes at `time` (µs), for a change made in phase `phase`. */
  add(phase: number, ms: number, weight: number, time = 0): void {
    while (this.byPhase.length <= phase) this.byPhase.push(new Samples());
    this.byPhase[phase].push(ms, weight, time);
    if (this.sorted.size) this.sorted.clear();
  }

  /**
   * clusterloader2's NetworkProgrammingLatency over the phase's time span (or the whole run): the
   * 99th percentile over time of the cluster-wide 5-minute p50/p90/p99 (cl2-statistic.ts).
   */
  cl2(phase: number | 'all'): Cl2Latency {
    const from = phase === 'all' ? 0 : (this.phaseStarts[phase] ?? this.end);
    const to = phase === 'all' || phase + 1 >= this.phaseStarts.length ? this.end : this.phaseStarts[phase + 1];
    const n = this.byPhase.reduce((k, p) => k + p.length, 0);
    const times = new Float64Array(n);
    const values = new Float64Array(n);
    const weights = new Float64Array(n);
    let at = 0;
    for (const p of this.byPhase) {
      times.set(p.times.subarray(0, p.length), at);
      values.set(p.values.subarray(0, p.length), at);
      weights.set(p.weights.subarray(0, p.length), at);
      at += p.length;
    }
    return networkProgrammingLatencyCl2(times, values, weights, from, to);
  }

  private distribution(phase: number | 'all'): Distribution {
    let d = this.sorted.get(phase);
    if (!d) {
      const parts = phase === 'all' ? this.byPhase : [this.byPhase[phase] ?? new Samples()];
      const n = parts.reduce((k, p) => k + p.length, 0);
      const values = new Float64Array(n);
      const weights = new Float64Array(n);
      let at = 0;
      for (const p of parts) {
        values.set(p.values.subarray(0, p.length), at);
        weights.set(p.weights.subarray(0, p.length), at);
        at += p.length;
      }
      this.sorted.set(phase, (d = new Distribution(values, weights)));
    }
    return d;
  }

  /** After structured cloning (a worker thread's run): sorted distributions lost their class; sort again when asked. */
  revived(): void {
    this.sorted.clear();
  }

  /** p50, p99 and max over the samples of a phase (or all), NaN when there are none. */
  summary(phase: number | 'all'): LatencySummary {
    const d = this.distribution(phase);
    return { count: d.weight, p50: d.quantile(0.5), p99: d.quantile(0.99), max: d.quantile(1) };
  }

  /** The distribution as percentiles 0..100 (ms), for latency.csv. */
  percentiles(phase: number | 'all'): number[] {
    const d = this.distribution(phase);
    return Array.from({ length: 101 }, (_, i) => d.quantile(i / 100));
  }
}
