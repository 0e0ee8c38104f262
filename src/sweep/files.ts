// The files of a sweep folder: sweep.csv (the grid keys, then the summary columns of phase `all`, one
// row per point and model, in point order), run.json (what was swept, so shards can be merged and
// checked) and report.html. Built the same way by `sweep`, `merge` and `report`, so a merged folder
// is byte for byte the folder one unsharded sweep writes.
import { stringify } from 'csv-stringify/sync';
import type { GridKey, Shard } from './grid.js';
import { pointValues } from './grid.js';
import type { PointResult } from './point.js';
import { sweepReportHtml } from '../report/html/sweep-report.js';

export interface SweepMeta {
  program: 'slicesim';
  version: string;
  kind: 'sweep';
  /** The scenario file as given on the command line. */
  file: string;
  /** The sweep's own --set flags (applied before the grid values). */
  set: string[];
  seed: number;
  models: string[];
  grid: GridKey[];
  points: number;
  /** Only in a shard's folder: which points it holds. */
  shard?: Shard;
  /** The scenario with --set applied and defaults filled in, before the grid values. */
  scenario: unknown;
}

export interface SweepRow {
  point: number;
  cells: string[];
}

export function sweepCsv(grid: readonly GridKey[], columns: readonly string[], rows: readonly string[][]): string {
  return stringify(rows as string[][], { header: true, columns: [...grid.map((g) => g.key), ...columns] });
}

/** Rows of sweep.csv from point results (grid values first), sorted by point. */
export function resultRows(grid: readonly GridKey[], results: readonly PointResult[]): { columns: string[]; rows: string[][] } {
  const sorted = [...results].sort((a, b) => a.point - b.point);
  const columns = sorted[0]?.columns ?? [];
  return { columns, rows: sorted.flatMap((r) => r.rows.map((cells) => [...pointValues(grid, r.point), ...cells])) };
}

export const runJson = (meta: SweepMeta): string => `${JSON.stringify(meta, null, 2)}\n`;

export function sweepFiles(meta: SweepMeta, columns: readonly string[], rows: readonly string[][]): Record<string, string> {
  const csv = sweepCsv(meta.grid, columns, rows);
  const json = runJson(meta);
  return { 'sweep.csv': csv, 'run.json': json, ...sweepReportFiles(csv, json) };
}

export function sweepReportFiles(csv: string, json: string): Record<string, string> {
  return { 'report.html': sweepReportHtml(csv, JSON.parse(json) as SweepMeta) };
}
