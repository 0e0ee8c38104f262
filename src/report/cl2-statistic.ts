// clusterloader2's NetworkProgrammingLatency statistic (kubernetes/perf-tests clusterloader2/pkg/
// measurement/common/slos/network_programming.go and pkg/prometheus/manifests/prometheus-rules.yaml):
// Prometheus records, at every rule evaluation, histogram_quantile(q, sum(rate(
// kubeproxy_network_programming_duration_seconds_bucket[5m]))) for q = 0.50, 0.90, 0.99 over all
// kube-proxies; the measurement is quantile_over_time(0.99, …[test duration]) of each series.

/**
 * kube-proxy's network_programming_duration_seconds buckets (kubernetes/kubernetes pkg/proxy/metrics/
 * metrics.go): 0.25 s and 0.5 s, 1 s to 59 s by 1 s, 60 s to 115 s by 5 s, 2 min to 5 min by 30 s.
 */
export const NETWORK_PROGRAMMING_BUCKETS_S: readonly number[] = [
  0.25, 0.5,
  ...Array.from({ length: 59 }, (_, i) => 1 + i),
  ...Array.from({ length: 12 }, (_, i) => 60 + 5 * i),
  ...Array.from({ length: 7 }, (_, i) => 120 + 30 * i),
];

/** The rate window of the recording rule, µs. */
export const RATE_WINDOW = 300_000_000;
/** SIM: rules evaluated every 30 s (the Prometheus Operator's default evaluationInterval). */
export const EVALUATION_INTERVAL = 30_000_000;

export interface Cl2Latency {
  p50: number;
  p90: number;
  p99: number;
}

/**
 * histogram_quantile over cumulative-by-construction bucket counts: the rank's bucket, interpolated
 * linearly inside it (from 0 for the first); past the last finite bound, that bound. Seconds.
 */
export function histogramQuantile(q: number, counts: ArrayLike<number>, infCount: number): number {
  let total = infCount;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  if (total === 0) return NaN;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < counts.length; i++) {
    if (below + counts[i] >= rank && counts[i] > 0) {
      const lower = i === 0 ? 0 : NETWORK_PROGRAMMING_BUCKETS_S[i - 1];
      const upper = NETWORK_PROGRAMMING_BUCKETS_S[i];
      return lower + ((upper - lower) * (rank - below)) / counts[i];
    }
    below += counts[i];
  }
  return NETWORK_PROGRAMMING_BUCKETS_S[NETWORK_PROGRAMMING_BUCKETS_S.length - 1];
}

/** Prometheus' quantile (quantile_over_time): linear interpolation between the sorted values. */
export function prometheusQuantile(q: number, values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = q * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

/**
 * The statistic over evaluations every 30 s in (from, to] and at `to`, for samples (time µs, latency
 * ms, weight = nodes). Evaluations whose window holds no sample give no point (SIM: Prometheus would
 * record NaN). Milliseconds; NaN without any point.
 */
export function networkProgrammingLatencyCl2(times: Float64Array, valuesMs: Float64Array, weights: Float64Array, from: number, to: number): Cl2Latency {
  const order = Array.from({ length: times.length }, (_, i) => i).sort((a, b) => times[a] - times[b] || a - b);
  const bucketOf = (ms: number) => {
    const s = ms / 1000;
    let lo = 0;
    let hi = NETWORK_PROGRAMMING_BUCKETS_S.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (NETWORK_PROGRAMMING_BUCKETS_S[mid] >= s) hi = mid;
      else lo = mid + 1;
    }
    return lo; // == length: the +Inf bucket
  };
  const counts = new Float64Array(NETWORK_PROGRAMMING_BUCKETS_S.length + 1);
  const points: Record<keyof Cl2Latency, number[]> = { p50: [], p90: [], p99: [] };
  let enter = 0;
  let leave = 0;
  let inWindow = 0;
  const ticks: number[] = [];
  for (let t = (Math.floor(from / EVALUATION_INTERVAL) + 1) * EVALUATION_INTERVAL; t <= to; t += EVALUATION_INTERVAL) ticks.push(t);
  // SIM: a last evaluation at the end, as the measurement's query time (endTime) would see a point there.
  if (ticks.length === 0 || ticks[ticks.length - 1] < to) ticks.push(to);
  for (const t of ticks) {
    while (enter < order.length && times[order[enter]] <= t) {
      counts[bucketOf(valuesMs[order[enter]])] += weights[order[enter]];
      inWindow++;
      enter++;
    }
    while (leave < enter && times[order[leave]] <= t - RATE_WINDOW) {
      counts[bucketOf(valuesMs[order[leave]])] -= weights[order[leave]];
      inWindow--;
      leave++;
    }
    if (inWindow === 0) continue;
    const finite = counts.subarray(0, NETWORK_PROGRAMMING_BUCKETS_S.length);
    const inf = counts[NETWORK_PROGRAMMING_BUCKETS_S.length];
    points.p50.push(histogramQuantile(0.5, finite, inf) * 1000);
    points.p90.push(histogramQuantile(0.9, finite, inf) * 1000);
    points.p99.push(histogramQuantile(0.99, finite, inf) * 1000);
  }
  return { p50: prometheusQuantile(0.99, points.p50), p90: prometheusQuantile(0.99, points.p90), p99: prometheusQuantile(0.99, points.p99) };
}
