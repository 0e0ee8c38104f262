// "Within limits" for one simulated run, and the frontier of a sweep: for each model (and each value
// of the other grid keys), the largest value of the size key at which every run up to it stays within
// limits. The limits, read by column name from a sweep row:
// - every write accepted by etcd: `rejected_writes` (request too large) and `quota_rejected_writes`
//   (space quota) are 0;
// - network programming latency at the 99th percentile under clusterloader2's threshold of 30 s
//   (CL2_NETWORK_PROGRAMMING_LATENCY_THRESHOLD default "30s",
//   kubernetes/perf-tests clusterloader2/testing/load/modules/measurements.yaml): clusterloader2's own
//   statistic `npl_cl2_p99_ms` when the run has it, otherwise `programming_latency_p99_ms`;
//   a run with endpoint changes but no latency sample at all never programmed them, and is outside;
// - kube-proxy keeping up: a node whose rules fall behind shows in the latency p99; and, when the row
//   has `nodes_up_to_date` (nodes up to date at the end), it must equal `nodes`. (The last timeseries
//   sample is not used: it is taken at the last event, before the syncs that apply it.)
import { num } from '../report/csv-read.js';

export const NPL_THRESHOLD_MS = 30_000;

export type Row = Record<string, string>;

/** The limits a row breaks (empty when within limits). */
export function brokenLimits(row: Row): string[] {
  const broken: string[] = [];
  if (num(row, 'rejected_writes') > 0) broken.push('etcd request size');
  if (num(row, 'quota_rejected_writes') > 0) broken.push('etcd quota');
  const p99 = Number.isFinite(num(row, 'npl_cl2_p99_ms')) ? num(row, 'npl_cl2_p99_ms') : num(row, 'programming_latency_p99_ms');
  if (p99 >= NPL_THRESHOLD_MS) broken.push('latency p99 ≥ 30 s');
  else if (Number.isNaN(p99) && num(row, 'writes') > 0) broken.push('no latency sample');
  if (num(row, 'nodes_up_to_date') < num(row, 'nodes')) broken.push('nodes not up to date');
  return broken;
}

export interface FrontierRow {
  /** Values of the other grid keys, in grid order. */
  by: string[];
  model: string;
  /** The largest size value within limits with every smaller one within limits too; '' when the smallest is already outside. */
  largest: string;
  /** The first size value outside limits; '' when every value is within. */
  firstOutside: string;
  /** The limits that value breaks. */
  limitedBy: string;
}

/**
 * The frontier along `sizeKey`: rows grouped by model and the other keys, walked in increasing size.
 * `rows` hold the grid keys as columns (sweep.csv rows).
 */
export function frontier(rows: readonly Row[], gridKeys: readonly string[], sizeKey: string, models: readonly string[]): FrontierRow[] {
  const others = gridKeys.filter((k) => k !== sizeKey);
  const groups = new Map<string, { by: string[]; model: string; rows: Row[] }>();
  for (const r of rows) {
    const by = others.map((k) => r[k]);
    const id = JSON.stringify([by, r.model]);
    if (!groups.has(id)) groups.set(id, { by, model: r.model, rows: [] });
    groups.get(id)!.rows.push(r);
  }
  const out: FrontierRow[] = [];
  for (const g of groups.values()) {
    const sorted = [...g.rows].sort((a, b) => Number(a[sizeKey]) - Number(b[sizeKey]));
    // (a size key is a count: replicas, endpoints)
    let largest = '';
    let firstOutside = '';
    let limitedBy = '';
    for (const r of sorted) {
      const broken = brokenLimits(r);
      if (broken.length) {
        firstOutside = r[sizeKey];
        limitedBy = broken.join('; ');
        break;
      }
      largest = r[sizeKey];
    }
    out.push({ by: g.by, model: g.model, largest, firstOutside, limitedBy });
  }
  // Numbers in numeric order, other values (e.g. "10Gbps") as text; then models in their given order.
  const cmp = (x: string, y: string) => (Number.isFinite(Number(x)) && Number.isFinite(Number(y)) ? Number(x) - Number(y) : x < y ? -1 : x > y ? 1 : 0);
  return out.sort((a, b) => {
    for (let i = 0; i < a.by.length; i++) if (a.by[i] !== b.by[i]) return cmp(a.by[i], b.by[i]);
    return models.indexOf(a.model) - models.indexOf(b.model);
  });
}
