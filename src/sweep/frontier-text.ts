// The frontier of a sweep as printed text (the same rows as the report's "Within limits" table).
import { parseCsv } from '../report/csv-read.js';
import { frontier } from './limits.js';
import type { SweepMeta } from './files.js';

export function textTable(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [head, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

export function frontierText(csv: string, meta: SweepMeta): string {
  const t = parseCsv(csv);
  if (!t.columns.includes('programming_latency_p99_ms') || !t.columns.includes('rejected_writes')) return '';
  const keys = meta.grid.map((g) => g.key);
  const size = keys[keys.length - 1];
  const values = meta.grid[meta.grid.length - 1].values;
  const rows = frontier(t.rows, keys, size, meta.models);
  return `Within limits (etcd accepts every write, latency p99 < 30 s${t.columns.includes('nodes_up_to_date') ? ', every node up to date at the end' : ''}), largest ${size}:\n${textTable(
    [...keys.slice(0, -1), 'model', 'largest', 'first outside', 'limited by'],
    rows.map((f) => [...f.by, f.model, f.largest || `below ${values[0]}`, f.firstOutside || `none up to ${values[values.length - 1]}`, f.limitedBy || '-']),
  )}\n\n`;
}
