// Network programming latency samples (clusterloader2's NetworkProgrammingLatency: from an endpoint
// change at the controller to the rules in place on a node), kept per phase as (value, weight)
// pairs: one sample stands for every node of a cohort. Quantiles are weighted, computed with d3-array.
import { bisectLeft, cumsum } from 'd3-array';

class Growable {
  values = new Float64Array(1024);
  weights = new Float64Array(1024);
  length = 0;

  push(value: number, weight: number): void {
    if (this.length === this.values.length) {
      const grow = (a: Float64Array) => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.values = grow(this.values);
      this.weights = grow(this.weights);
    }
    this.values[this.length] = value;
    this.weights[this.length++] = weight;
  }
}

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** The weighted q-quantiles (0..1) of (value, weight) pairs: the smallest value whose cumulative weight reaches q. */
export function weightedQuantiles(values: ArrayLike<number>, weights: ArrayLike<number>, qs: readonly number[]): number[] {
  const n = values.length;
  if (n === 0) return qs.map(() => NaN);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b] || a - b);
  const cumulative = cumsum(order, (i) => weights[i]);
  const total = cumulative[n - 1];
  return qs.map((q) => values[order[Math.min(n - 1, bisectLeft(cumulative, q * total))]]);
}

export class LatencyRecorder {
  private readonly byPhase: Growable[] = [];
  private readonly all = new Growable();

  /** A latency in ms observed by `weight` nodes, for a change made in phase `phase`. */
  add(phase: number, ms: number, weight: number): void {
    while (this.byPhase.length <= phase) this.byPhase.push(new Growable());
    this.byPhase[phase].push(ms, weight);
    this.all.push(ms, weight);
  }

  private of(phase: number | 'all'): Growable {
    return phase === 'all' ? this.all : (this.byPhase[phase] ?? new Growable());
  }

  /** p50, p99 and max over the samples of a phase (or all), NaN when there are none. */
  summary(phase: number | 'all'): LatencySummary {
    const g = this.of(phase);
    const values = g.values.subarray(0, g.length);
    const weights = g.weights.subarray(0, g.length);
    const [p50, p99, max] = weightedQuantiles(values, weights, [0.5, 0.99, 1]);
    let count = 0;
    for (const w of weights) count += w;
    return { count, p50, p99, max };
  }

  /** The distribution as percentiles 0..100 (ms), for latency.csv. */
  percentiles(phase: number | 'all'): number[] {
    const g = this.of(phase);
    return weightedQuantiles(g.values.subarray(0, g.length), g.weights.subarray(0, g.length), Array.from({ length: 101 }, (_, i) => i / 100));
  }
}
