// Result files (SPEC.md "Result files"): summary.csv rows per model and phase plus `all`,
// timeseries.csv samples, and the printed table in human units.
import { stringify } from 'csv-stringify/sync';
import type { ModelRun } from '../simulation.js';
import type { ResolvedScenario as Scenario } from '../scenario/resolve.js';
import { toSeconds } from '../engine/time.js';
import { TRAFFIC_COLUMNS, trafficColumns, type TrafficColumns } from './topology.js';

export const SUMMARY_COLUMNS = [
  'scenario', 'model', 'phase', 'nodes', 'endpoints_peak', 'objects_end', 'writes', 'rejected_writes',
  'max_object_bytes', 'watch_events', 'watch_bytes', 'etcd_bytes',
  'relist_bytes', 'programming_latency_p50_ms', 'programming_latency_p99_ms', 'programming_latency_max_ms',
  'etcd_db_peak_bytes', 'etcd_raft_bytes',
  'pods_replaced', 'writes_per_replaced_pod', 'bytes_per_replaced_pod', 'quota_rejected_writes', 'etcd_watch_bytes',
  'replay_bytes', 'npl_cl2_p50_ms', 'npl_cl2_p90_ms', 'npl_cl2_p99_ms',
] as const;

export const TIMESERIES_COLUMNS = [
  'scenario', 'model', 'time_s', 'phase', 'writes', 'rejected_writes', 'watch_events', 'watch_bytes', 'etcd_bytes', 'objects', 'endpoints',
  'etcd_db_bytes', 'quota_rejected_writes', 'egress_sent_bytes', 'egress_in_flight_bytes', 'events_in_flight', 'nodes_up_to_date',
] as const;

export type SummaryRow = Record<(typeof SUMMARY_COLUMNS)[number], string | number> & Partial<TrafficColumns>;

export function summaryRows(scenario: Scenario, runs: readonly ModelRun[]): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const run of runs) {
    const m = run.metrics;
    const phases = [...m.phases.map((phase, i) => ({ phase, c: m.byPhase[i], index: i as number | 'all' })), { phase: 'all', c: m.total, index: 'all' as const }];
    for (const { phase, c, index } of phases) {
      const lat = run.latency.summary(index);
      const cl2 = run.latency.cl2(index);
      rows.push({
        scenario: scenario.name, model: run.model, phase, nodes: scenario.cluster.nodes,
        endpoints_peak: c.endpointsPeak, objects_end: c.objectsEnd, writes: c.writes, rejected_writes: c.rejectedWrites,
        max_object_bytes: c.maxObjectBytes, watch_events: c.watchEvents, watch_bytes: c.watchBytes, etcd_bytes: c.etcdBytes,
        relist_bytes: c.relistBytes,
        programming_latency_p50_ms: ms(lat.p50), programming_latency_p99_ms: ms(lat.p99), programming_latency_max_ms: ms(lat.max),
        etcd_db_peak_bytes: c.etcdDbPeakBytes, etcd_raft_bytes: c.etcdRaftBytes,
        ...perReplacedPod(c.podsReplaced, c.writes, c.watchBytes),
        quota_rejected_writes: c.quotaRejectedWrites, etcd_watch_bytes: c.etcdWatchBytes,
        replay_bytes: c.replayBytes, npl_cl2_p50_ms: ms(cl2.p50), npl_cl2_p90_ms: ms(cl2.p90), npl_cl2_p99_ms: ms(cl2.p99),
        ...(run.traffic ? trafficColumns(run.traffic, index) : {}),
      });
    }
  }
  return rows;
}

/** Milliseconds to the microsecond, '' when there is no sample. */
const ms = (x: number) => (Number.isNaN(x) ? '' : Number(x.toFixed(3)));

/** latency.csv: the programming latency distribution per model and phase, as percentiles 0..100. */
export function latencyCsv(scenario: Scenario, runs: readonly ModelRun[]): string {
  const rows: (string | number)[][] = [];
  for (const run of runs) {
    const phases = [...run.metrics.phases.map((name, i) => [name, i] as const), ['all', 'all'] as const];
    for (const [name, index] of phases) {
      const p = run.latency.percentiles(index);
      if (Number.isNaN(p[0])) continue;
      p.forEach((v, i) => rows.push([scenario.name, run.model, name, i, ms(v)]));
    }
  }
  return stringify(rows, { header: true, columns: ['scenario', 'model', 'phase', 'percentile', 'latency_ms'] });
}

/** How far reality is from the blog's one write per replaced pod: writes and watch bytes per replaced pod. */
function perReplacedPod(replaced: number, writes: number, watchBytes: number) {
  return {
    pods_replaced: replaced,
    writes_per_replaced_pod: replaced ? (writes / replaced).toFixed(2) : '',
    bytes_per_replaced_pod: replaced ? Math.round(watchBytes / replaced) : '',
  };
}

/** SUMMARY_COLUMNS, then the traffic columns when some service has traffic (SPEC). */
export function summaryColumns(rows: readonly SummaryRow[]): string[] {
  const traffic = rows.some((r) => r.cross_zone_traffic_fraction !== undefined);
  return [...SUMMARY_COLUMNS, ...(traffic ? TRAFFIC_COLUMNS : [])];
}

export function summaryCsv(rows: readonly SummaryRow[]): string {
  return stringify(rows as SummaryRow[], { header: true, columns: summaryColumns(rows) });
}

export function timeseriesCsv(scenario: Scenario, runs: readonly ModelRun[]): string {
  // Thousands of rows of numbers and DNS labels: nothing needs quoting, so rows are joined directly.
  const lines: string[] = [TIMESERIES_COLUMNS.join(',')];
  for (const run of runs) {
    for (const s of run.samples) {
      const c = s.counters;
      lines.push(
        [scenario.name, run.model, toSeconds(s.time), s.phase, c.writes, c.rejectedWrites, c.watchEvents, c.watchBytes, c.etcdBytes, s.objects, s.endpoints,
          s.etcdDb, c.quotaRejectedWrites, s.egressSent, s.egressInFlight, s.eventsInFlight, s.nodesUpToDate].join(','),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Decimal units, as the published figures use them: 4.5 GB, 22.5 TB. */
export function humanBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let i = 0;
  let x = n;
  while (x >= 1000 && i < units.length - 1) {
    x /= 1000;
    i++;
  }
  const digits = i === 0 ? 0 : x >= 100 ? 1 : x >= 10 ? 2 : 3;
  return `${Number(x.toFixed(digits))} ${units[i]}`;
}

/**
 * Thousands grouped with commas: toLocaleString('en-US')'s text. Safe integers are grouped here, as its
 * first call costs a run about 10 ms (ICU's number formats are loaded then); anything else goes to it.
 */
export function humanCount(n: number): string {
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${out}` : out;
}
