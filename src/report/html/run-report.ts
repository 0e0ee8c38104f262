// report.html of one run folder, built from the folder's own files (summary.csv, timeseries.csv,
// latency.csv, run.json) so that `slicesim report DIR` rebuilds it from any result folder, including
// ones written by older versions. Columns are read by name; a column a run lacks leaves its chart out.
import { numbers, parseCsv, num, readColumns, type Columns, type Table } from '../csv-read.js';
import { columnLabel } from '../columns.js';
import { barChart, downsample, esc, lineChart, type Series } from './svg.js';
import { exact, fmtBytes, fmtCount, fmtFraction, fmtMs, tableFormatFor } from './format.js';
import { modelColor, page, table } from './page.js';

export interface RunFiles {
  'summary.csv': string;
  'timeseries.csv'?: string;
  'latency.csv'?: string;
  'run.json'?: string;
  'topology.csv'?: string;
}

/** Columns that name a row rather than measure it. */
const IDENTITY = new Set(['scenario', 'model', 'phase', 'nodes']);
/** Time series drawn, when present: column, title, y label and formatter. */
const TIMESERIES_CHARTS: { column: string; title: string; y: string; format: (v: number) => string }[] = [
  { column: 'egress_in_flight_bytes', title: 'Bytes in flight (queued at the API server egress)', y: 'bytes', format: fmtBytes },
  { column: 'nodes_up_to_date', title: 'Nodes up to date', y: 'nodes', format: fmtCount },
  { column: 'etcd_db_bytes', title: 'etcd database size', y: 'bytes', format: fmtBytes },
  { column: 'watch_bytes', title: 'Watch bytes delivered (cumulative)', y: 'bytes', format: fmtBytes },
];
const MAX_POINTS = 600;

interface RunInfo {
  version?: string;
  seed?: number;
  scenario?: { name?: string; description?: string; encoding?: string; kubernetes?: string; cluster?: { nodes?: number }; apiserver?: { egressBandwidth?: string | number; instances?: number } };
}

export function runReportHtml(files: RunFiles): string {
  const summary = parseCsv(files['summary.csv']);
  const info: RunInfo = files['run.json'] ? JSON.parse(files['run.json']) : {};
  const models = [...new Set(summary.rows.map((r) => r.model))];
  const phases = [...new Set(summary.rows.map((r) => r.phase))].filter((p) => p !== 'all');
  const name = info.scenario?.name ?? summary.rows[0]?.scenario ?? 'slicesim run';
  const color = (m: string) => modelColor(m, models.indexOf(m));

  const facts = [
    `${exact(summary.rows[0]?.nodes)} nodes`,
    info.scenario?.encoding && `encoding ${info.scenario.encoding}`,
    info.scenario?.kubernetes && `Kubernetes ${info.scenario.kubernetes}`,
    info.scenario?.apiserver && `API server egress ${info.scenario.apiserver.egressBandwidth || 'unlimited'} × ${info.scenario.apiserver.instances ?? 1}`,
    info.seed !== undefined && `seed ${info.seed}`,
    `models: ${models.join(', ')}`,
  ].filter(Boolean);

  const body = [
    `<h1>${esc(name)}</h1>`,
    info.scenario?.description ? `<p class="sub">${esc(info.scenario.description.trim())}</p>` : '',
    `<p class="facts">${facts.map((f) => esc(String(f))).join(' · ')}</p>`,
    '<h2>Comparison (whole run)</h2>',
    comparisonTable(summary, models),
    '<h2>Bytes and writes per phase</h2>',
    `<div class="grid">${phaseCharts(summary, models, phases, color)}</div>`,
    '<h2>Over time</h2>',
    `<div class="grid">${files['timeseries.csv'] ? timeCharts(readColumns(files['timeseries.csv'], ['model', 'phase', 'time_s', ...TIMESERIES_CHARTS.map((c) => c.column)]), models, color) : '<p class="note">No timeseries.csv in this folder.</p>'}</div>`,
    files['topology.csv'] ? `<h2>Traffic by topology</h2>\n<div class="grid">${topologyCharts(parseCsv(files['topology.csv']), models, color)}</div>` : '',
    '<h2>Network programming latency</h2>',
    `<div class="grid">${files['latency.csv'] ? latencyChart(parseCsv(files['latency.csv']), models, color) : '<p class="note">No latency.csv in this folder.</p>'}</div>`,
    '<h2>Every phase, every column</h2>',
    `<details><summary>summary.csv as a table (${summary.rows.length} rows)</summary>${fullTable(summary)}</details>`,
    `<footer>Written by slicesim${info.version ? ` ${esc(info.version)}` : ''} from the files in this folder (summary.csv, timeseries.csv, latency.csv, run.json); rebuild it with <code>slicesim report FOLDER</code>. Bytes in decimal units (1 GB = 10<sup>9</sup> bytes).</footer>`,
  ].join('\n');
  return page(`${name} — slicesim`, body);
}

/** Phase `all`: one row per measure, one column per model, and the ratio of the first model to the second. */
function comparisonTable(summary: Table, models: string[]): string {
  const all = models.map((m) => summary.rows.find((r) => r.model === m && r.phase === 'all'));
  const ratio = models.length === 2;
  const rows: string[][] = [];
  for (const column of summary.columns) {
    if (IDENTITY.has(column)) continue;
    const values = all.map((r) => num(r, column));
    if (values.every((v) => Number.isNaN(v))) continue;
    const f = tableFormatFor(column);
    const cells = values.map((v, i) => `<td title="${esc(all[i]?.[column] ?? '')}">${esc(f(v))}</td>`);
    let r = '';
    if (ratio) {
      const [a, b] = values;
      r = Number.isFinite(a) && Number.isFinite(b) && b !== 0 && a !== b ? `${Number((a / b).toPrecision(3))}×` : a === b ? '=' : '–';
    }
    rows.push([esc(columnLabel(column)) + ` <span class="note">${esc(column)}</span>`, ...cells, ...(ratio ? [r] : [])]);
  }
  return table(['measure', ...models.map(esc), ...(ratio ? [`${esc(models[0])} ÷ ${esc(models[1])}`] : [])], rows, 'comparison');
}

function phaseCharts(summary: Table, models: string[], phases: string[], color: (m: string) => string): string {
  const bars = (column: string, title: string, format: (v: number) => string) =>
    barChart({
      id: `phase-${column}`,
      title,
      categories: phases,
      series: models.map((m) => ({ name: m, color: color(m), values: phases.map((p) => num(summary.rows.find((r) => r.model === m && r.phase === p), column)) })),
      y: { label: columnLabel(column), format },
    });
  const charts = [bars('watch_bytes', 'Watch bytes to node agents, per phase', fmtBytes), bars('writes', 'Writes of endpoint objects, per phase', fmtCount)];
  if (summary.columns.includes('relist_bytes') && summary.rows.some((r) => num(r, 'relist_bytes') > 0)) charts.push(bars('relist_bytes', 'Re-list bytes, per phase', fmtBytes));
  if (summary.rows.some((r) => num(r, 'rejected_writes') > 0 || num(r, 'quota_rejected_writes') > 0)) {
    charts.push(bars(summary.rows.some((r) => num(r, 'rejected_writes') > 0) ? 'rejected_writes' : 'quota_rejected_writes', 'Writes refused by etcd, per phase', fmtCount));
  }
  return charts.join('\n');
}

function timeCharts(ts: Columns, models: string[], color: (m: string) => string): string {
  const time = numbers(ts, 'time_s');
  const model = ts.cells.get('model');
  const phase = ts.cells.get('phase');
  const end = Math.max(0, ...time.filter(Number.isFinite));
  const minutes = end > 900;
  const scale = minutes ? 1 / 60 : 1;
  const xLabel = minutes ? 'simulated time (min)' : 'simulated time (s)';
  /** Each model's lines, in file order. */
  const linesOf = (m: string) => Array.from({ length: ts.length }, (_, i) => i).filter((i) => model?.[i] === m);
  const lines = new Map(models.map((m) => [m, linesOf(m)]));
  // Phase starts, from the first model's samples (both models see the same workload).
  const markers: { x: number; label: string }[] = [];
  let last: string | undefined = '';
  for (const i of lines.get(models[0]) ?? []) {
    const p = phase?.[i];
    if (p !== last && last !== '') markers.push({ x: time[i] * scale, label: p as string });
    last = p;
  }
  return TIMESERIES_CHARTS.filter((c) => ts.columns.includes(c.column))
    .map((c) => {
      const values = numbers(ts, c.column);
      return lineChart({
        id: `ts-${c.column}`,
        title: c.title,
        x: { label: xLabel, format: (v) => String(Number(v.toPrecision(4))) },
        y: { label: c.y, format: c.format, include: [0] },
        markers,
        series: models.map(
          (m): Series => ({
            name: m,
            color: color(m),
            points: downsample(lines.get(m)!.map((i) => [time[i] * scale, values[i]] as const), MAX_POINTS),
          }),
        ),
      });
    })
    .join('\n');
}

/** From topology.csv (per zone and sample): the shares of all requests that cross zones or are dropped, per model. */
function topologyCharts(topo: Table, models: string[], color: (m: string) => string): string {
  const charts: string[] = [];
  for (const [column, title] of [
    ['cross_zone_traffic_fraction', 'Cross-zone traffic (share of requests)'],
    ['dropped_traffic_fraction', 'Dropped traffic (share of requests)'],
  ] as const) {
    if (!topo.columns.includes(column) || (column === 'dropped_traffic_fraction' && !topo.rows.some((r) => num(r, column) > 0))) continue;
    const series = models.map((m): Series => {
      // Request-weighted over the zones of each sample.
      const byTime = new Map<number, { requests: number; weighted: number }>();
      for (const r of topo.rows) {
        if (r.model !== m) continue;
        const t = num(r, 'time_s');
        const e = byTime.get(t) ?? { requests: 0, weighted: 0 };
        e.requests += num(r, 'requests_per_second');
        e.weighted += num(r, 'requests_per_second') * num(r, column);
        byTime.set(t, e);
      }
      return { name: m, color: color(m), points: downsample([...byTime].map(([t, e]) => [t, e.requests ? e.weighted / e.requests : NaN] as const), MAX_POINTS) };
    });
    charts.push(lineChart({ id: `topo-${column}`, title, x: { label: 'simulated time (s)', format: (v) => String(Number(v.toPrecision(4))) }, y: { label: 'share of requests', format: fmtFraction, include: [0, 1] }, series }));
  }
  return charts.join('\n');
}

/** The distribution of phase `all` as a CDF: latency on x (log scale when it spans decades), share of samples on y. */
function latencyChart(lat: Table, models: string[], color: (m: string) => string): string {
  const series = models.map(
    (m): Series => ({
      name: m,
      color: color(m),
      points: lat.rows.filter((r) => r.model === m && r.phase === 'all').map((r) => [num(r, 'latency_ms'), num(r, 'percentile')] as const),
    }),
  );
  const values = series.flatMap((s) => s.points.map((p) => p[0])).filter((v) => v > 0);
  if (!values.length) return '<p class="note">No programming latency samples in this run (no annotated endpoint change reached a node).</p>';
  const spread = Math.max(...values) / Math.min(...values);
  return lineChart({
    id: 'latency-cdf',
    title: 'Network programming latency, distribution over every node and change (CDF)',
    x: { label: 'latency from the endpoint change to the rules on a node', scale: spread > 30 ? 'log' : 'linear', format: fmtMs },
    y: { label: 'percent of samples at or below', format: (v) => `${v}%`, include: [0, 100] },
    series,
    markers: Math.min(...values) <= 30_000 && Math.max(...values) >= 30_000 ? [{ x: 30_000, label: '30 s' }] : [],
    note: 'clusterloader2\'s threshold for network programming latency is 30 s at the 99th percentile.',
  });
}

function fullTable(summary: Table): string {
  return table(
    summary.columns.map((c) => esc(c)),
    summary.rows.map((r) => summary.columns.map((c) => esc(IDENTITY.has(c) ? r[c] : exact(r[c])))),
  );
}

