// Traffic by topology in the result files (SPEC "New scenario keys"): the four summary.csv columns
// that follow the others when some service has `traffic`, and topology.csv (per model, sample and zone).
import type { ModelRun } from '../simulation.js';
import type { TrafficReport, TrafficTotals } from '../agents/traffic-model.js';
import { toSeconds } from '../engine/time.js';

export const TRAFFIC_COLUMNS = ['cross_zone_traffic_fraction', 'max_endpoint_load_ratio', 'dropped_traffic_fraction', 'hint_writes'] as const;
export type TrafficColumns = Record<(typeof TRAFFIC_COLUMNS)[number], string | number>;

export const TOPOLOGY_COLUMNS = [
  'scenario', 'model', 'time_s', 'phase', 'zone', 'nodes', 'requests_per_second', 'cross_zone_traffic_fraction', 'dropped_traffic_fraction',
  'ready_endpoints', 'hinted_endpoints', 'max_endpoint_load_ratio',
] as const;

/** A fraction to 4 decimals, '' when nothing was sent. */
const fraction = (part: number, whole: number) => (whole > 0 ? Number((part / whole).toFixed(4)) : '');

/** The traffic columns of one phase (its index) or of `all`. */
export function trafficColumns(report: TrafficReport, phase: number | 'all'): TrafficColumns {
  const t: TrafficTotals = phase === 'all' ? report.total : (report.byPhase[phase] ?? { sent: 0, dropped: 0, crossZone: 0, maxLoadRatio: 0, hintWrites: 0 });
  return {
    cross_zone_traffic_fraction: fraction(t.crossZone, t.sent),
    max_endpoint_load_ratio: t.sent > 0 ? Number(t.maxLoadRatio.toFixed(3)) : '',
    dropped_traffic_fraction: fraction(t.dropped, t.sent),
    hint_writes: t.hintWrites,
  };
}

export function topologyCsv(scenarioName: string, runs: readonly ModelRun[]): string {
  const lines: string[] = [TOPOLOGY_COLUMNS.join(',')];
  for (const run of runs) {
    for (const r of run.traffic?.samples ?? []) {
      lines.push(
        [scenarioName, run.model, toSeconds(r.time as never), r.phase, r.zone, r.nodes, Number(r.requestsPerSecond.toFixed(3)), fraction(r.crossZone, r.requestsPerSecond),
          fraction(r.dropped, r.requestsPerSecond), r.readyEndpoints, r.hintedEndpoints, Number(r.maxLoadRatio.toFixed(3))].join(','),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
