// perfdata.json: network programming latency in clusterloader2's PerfData form, so a simulated run
// can sit next to real clusterloader2 results (and be read by perfdash). The shape follows
// kubernetes/perf-tests clusterloader2/pkg/measurement/util/perftype.go (PerfData, DataItem) and
// latency_metric.go (ToPerfData: Perc50/Perc90/Perc99 in ms, label Metric), with version "v1" as
// slos/network_programming.go writes it. Built from the run folder's own CSV files.
import { parseCsv, num } from './csv-read.js';

interface DataItem {
  data: { Perc50: number; Perc90: number; Perc99: number };
  unit: 'ms';
  labels: Record<string, string>;
}

/**
 * One data item per model. clusterloader2's figure is the 99th percentile over time of the
 * cluster-wide 5-minute quantiles: taken from the `npl_cl2_*_ms` columns when the run has them;
 * otherwise the quantiles over every sample of the run (latency.csv, phase `all`), labelled as such.
 */
export function perfdataJson(summaryCsv: string, latencyCsv: string | undefined): string {
  const summary = parseCsv(summaryCsv);
  const latency = latencyCsv ? parseCsv(latencyCsv) : undefined;
  const items: DataItem[] = [];
  const models = [...new Set(summary.rows.map((r) => r.model))];
  for (const model of models) {
    const all = summary.rows.find((r) => r.model === model && r.phase === 'all');
    const cl2 = ['npl_cl2_p50_ms', 'npl_cl2_p90_ms', 'npl_cl2_p99_ms'].map((c) => num(all, c));
    let data: number[];
    let statistic: string;
    if (cl2.every(Number.isFinite)) {
      data = cl2;
      statistic = 'quantile_over_time(0.99, 5m quantile)';
    } else {
      const at = (p: number) => num(latency?.rows.find((r) => r.model === model && r.phase === 'all' && r.percentile === String(p)), 'latency_ms');
      data = [at(50), at(90), at(99)];
      statistic = 'quantile over the run';
    }
    if (!data.every(Number.isFinite)) continue;
    items.push({ data: { Perc50: data[0], Perc90: data[1], Perc99: data[2] }, unit: 'ms', labels: { Metric: 'NetworkProgrammingLatency', Model: model, Statistic: statistic } });
  }
  const labels = { Scenario: summary.rows[0]?.scenario ?? '', Nodes: summary.rows[0]?.nodes ?? '', Source: 'slicesim' };
  return `${JSON.stringify({ version: 'v1', dataItems: items, labels }, null, 2)}\n`;
}
