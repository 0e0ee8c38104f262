// Numbers for people, chosen by column name: bytes in decimal units (as the published figures use
// them), latencies in ms or s, counts with thousands separators. Columns added later by other parts
// of the program get a sensible format from their name alone.
import { humanBytes, humanCount } from '../summary.js';

export const fmtBytes = (v: number): string => (Number.isFinite(v) ? humanBytes(v) : '–');

export function fmtCount(v: number): string {
  if (!Number.isFinite(v)) return '–';
  if (Math.abs(v) >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`;
  if (Math.abs(v) >= 1e4) return `${Number((v / 1e3).toPrecision(3))}k`;
  return Number.isInteger(v) ? humanCount(v) : String(Number(v.toPrecision(3)));
}

export function fmtMs(v: number): string {
  if (!Number.isFinite(v)) return '–';
  if (v >= 120_000) return `${Number((v / 60_000).toPrecision(3))} min`;
  if (v >= 1000) return `${Number((v / 1000).toPrecision(3))} s`;
  return `${Number(v.toPrecision(3))} ms`;
}

export const fmtSeconds = (v: number): string => fmtMs(v * 1000);

export const fmtFraction = (v: number): string => (Number.isFinite(v) ? `${Number((v * 100).toPrecision(3))}%` : '–');

/** The formatter a column's name calls for. */
export function formatterFor(column: string): (v: number) => string {
  if (column.endsWith('_bytes') || column.startsWith('bytes_')) return fmtBytes;
  if (column.endsWith('_ms')) return fmtMs;
  if (column.endsWith('_s')) return fmtSeconds;
  if (column.endsWith('_fraction')) return fmtFraction;
  return fmtCount;
}

/** Exact figure for tables: integers with separators, other numbers as written. */
export function exact(cell: string | undefined): string {
  if (cell === undefined || cell === '') return '–';
  const v = Number(cell);
  return Number.isInteger(v) ? humanCount(v) : cell;
}

/** The format of a table cell: units for bytes and times, exact counts otherwise. */
export function tableFormatFor(column: string): (v: number) => string {
  const f = formatterFor(column);
  return f === fmtCount ? (v) => (Number.isFinite(v) ? exact(String(v)) : '–') : f;
}
