// The table `slicesim run` prints: per phase and model, what matters without opening a CSV — writes,
// writes refused by etcd (size / quota), the largest object, watch bytes (and per write), re-list
// bytes, programming latency p50/p99, and nodes up to date at the end of the phase.
import type { ModelRun } from '../simulation.js';
import type { ResolvedScenario } from '../scenario/resolve.js';
import { humanBytes, humanCount, type SummaryRow } from './summary.js';
import { fmtMs } from './html/format.js';

type Row = Record<string, string | number>;

/** Nodes up to date at the end of each phase (its last sample) and of the run, by `model/phase`. */
export function upToDateAtPhaseEnd(runs: readonly ModelRun[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const run of runs) {
    for (const s of run.samples) out.set(`${run.model}/${s.phase}`, s.nodesUpToDate);
    const last = run.samples[run.samples.length - 1];
    if (last) out.set(`${run.model}/all`, last.nodesUpToDate);
  }
  return out;
}

const cell = (r: Row, c: string): number => (r[c] === undefined || r[c] === '' ? NaN : Number(r[c]));
const bytes = (v: number) => (Number.isFinite(v) ? humanBytes(v) : '-');

export function summaryTable(scenario: ResolvedScenario, rows: readonly SummaryRow[], upToDate: Map<string, number> = new Map()): string {
  const nodes = scenario.cluster.nodes;
  const columns: { head: string; value: (r: Row) => string }[] = [
    { head: 'phase', value: (r) => String(r.phase) },
    { head: 'model', value: (r) => String(r.model) },
    { head: 'writes', value: (r) => humanCount(cell(r, 'writes')) },
    { head: 'refused size/quota', value: (r) => `${humanCount(cell(r, 'rejected_writes'))}/${Number.isFinite(cell(r, 'quota_rejected_writes')) ? humanCount(cell(r, 'quota_rejected_writes')) : '-'}` },
    { head: 'max object', value: (r) => bytes(cell(r, 'max_object_bytes')) },
    { head: 'watch bytes', value: (r) => bytes(cell(r, 'watch_bytes')) },
    { head: 'per write', value: (r) => (cell(r, 'writes') ? bytes(cell(r, 'watch_bytes') / cell(r, 'writes')) : '-') },
    { head: 're-list bytes', value: (r) => bytes(cell(r, 'relist_bytes')) },
    // Events re-sent from the watch cache after a re-watch, where the run models them.
    ...(rows.some((r) => 'replay_bytes' in r) ? [{ head: 'replay bytes', value: (r: Row) => bytes(cell(r, 'replay_bytes')) }] : []),
    { head: 'latency p50', value: (r) => (Number.isFinite(cell(r, 'programming_latency_p50_ms')) ? fmtMs(cell(r, 'programming_latency_p50_ms')) : '-') },
    { head: 'p99', value: (r) => (Number.isFinite(cell(r, 'programming_latency_p99_ms')) ? fmtMs(cell(r, 'programming_latency_p99_ms')) : '-') },
    {
      head: 'nodes up to date',
      value: (r) => {
        const n = Number.isFinite(cell(r, 'nodes_up_to_date')) ? cell(r, 'nodes_up_to_date') : upToDate.get(`${r.model}/${r.phase}`);
        return n === undefined ? '-' : `${humanCount(n)}/${humanCount(nodes)}`;
      },
    },
  ];
  // With traffic (SPEC): where requests went, from the topology columns.
  if (rows.some((r) => r.cross_zone_traffic_fraction !== undefined)) {
    const pct = (r: Row, c: string) => (Number.isFinite(cell(r, c)) ? `${(cell(r, c) * 100).toFixed(1)}%` : '-');
    columns.push(
      { head: 'cross-zone', value: (r) => pct(r, 'cross_zone_traffic_fraction') },
      { head: 'busiest/mean', value: (r) => (Number.isFinite(cell(r, 'max_endpoint_load_ratio')) ? String(r.max_endpoint_load_ratio) : '-') },
      { head: 'dropped', value: (r) => pct(r, 'dropped_traffic_fraction') },
      { head: 'hint writes', value: (r) => humanCount(cell(r, 'hint_writes')) },
    );
  }
  const models = [...new Set(rows.map((r) => String(r.model)))];
  const phases = [...new Set(rows.map((r) => String(r.phase)))];
  const lines: string[][] = [];
  for (const phase of phases) {
    for (const model of models) {
      const r = rows.find((x) => x.phase === phase && x.model === model);
      if (r) lines.push(columns.map((c) => c.value(r)));
    }
  }
  const head = columns.map((c) => c.head);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  const title = `${scenario.name}: ${humanCount(nodes)} nodes, encoding ${scenario.encoding}${scenario.description ? `\n${scenario.description.trim()}` : ''}`;
  return [title, '', fmt(head), ...lines.map(fmt), ...comparison(rows, models)].join('\n');
}

/** One line comparing the two models over the whole run. */
function comparison(rows: readonly SummaryRow[], models: string[]): string[] {
  if (models.length !== 2) return [];
  const [a, b] = models.map((m) => rows.find((r) => r.model === m && r.phase === 'all') as Row | undefined);
  if (!a || !b) return [];
  const ratio = (c: string) => {
    const [x, y] = [cell(a, c), cell(b, c)];
    return Number.isFinite(x) && Number.isFinite(y) && y > 0 ? `${Number((x / y).toPrecision(3))}×` : '-';
  };
  return ['', `${models[0]} ÷ ${models[1]}, whole run: watch bytes ${ratio('watch_bytes')}, writes ${ratio('writes')}, largest object ${ratio('max_object_bytes')}, latency p99 ${ratio('programming_latency_p99_ms')}`];
}
