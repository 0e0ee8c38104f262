// One point of a sweep: the scenario with the point's grid values set, every model simulated, and the
// summary rows of phase `all` kept (cells as text, as they are written to sweep.csv).
import { loadScenario } from '../scenario/load.js';
import type { Model } from '../scenario/schema.js';
import { withOverrides } from '../scenario/resolve.js';
import { simulateModel } from '../simulation.js';
import { SUMMARY_COLUMNS, summaryRows } from '../report/summary.js';

/** sweep.csv's extra column: nodes up to date at the end of the run. */
export const END_COLUMN = 'nodes_up_to_date_end';

export interface PointJob {
  point: number;
  file: string;
  /** The sweep's own `--set` flags, then the point's grid values. */
  sets: string[];
  seed?: number;
  models?: Model[];
}

export interface PointResult {
  point: number;
  columns: string[];
  /** One row per model, in the scenario's model order. */
  rows: string[][];
}

export function loadPoint(job: Omit<PointJob, 'point'>) {
  const s = loadScenario(job.file, job.sets);
  return withOverrides(s, job.seed ?? s.seed, job.models ?? s.models);
}

export function runPoint(job: PointJob): PointResult {
  const scenario = loadPoint(job);
  const runs = scenario.models.map((m) => simulateModel(scenario, m, scenario.seed));
  const columns: string[] = [...SUMMARY_COLUMNS];
  const rows = summaryRows(scenario, runs)
    .filter((r) => r.phase === 'all')
    .map((r) => columns.map((c) => String((r as Record<string, string | number>)[c] ?? '')));
  // Whether kube-proxy kept up: nodes up to date at the end of the run (the last timeseries sample),
  // unless the summary already has the column.
  if (!columns.includes('nodes_up_to_date')) {
    columns.push(END_COLUMN);
    rows.forEach((row, i) => row.push(String(runs[i].samples[runs[i].samples.length - 1]?.nodesUpToDate ?? '')));
  }
  return { point: job.point, columns, rows };
}
