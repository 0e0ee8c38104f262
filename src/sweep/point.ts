// One point of a sweep: the scenario with the point's grid values set, every model simulated, and the
// summary rows of phase `all` kept (cells as text, as they are written to sweep.csv).
import { loadScenario } from '../scenario/load.js';
import type { Model } from '../scenario/schema.js';
import { withOverrides } from '../scenario/resolve.js';
import { simulateModel } from '../simulation.js';
import { summaryColumns, summaryRows } from '../report/summary.js';

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
  const all = summaryRows(scenario, runs).filter((r) => r.phase === 'all');
  const columns = summaryColumns(all);
  const rows = all
    .map((r) => columns.map((c) => String((r as Record<string, string | number>)[c] ?? '')));
  return { point: job.point, columns, rows };
}
