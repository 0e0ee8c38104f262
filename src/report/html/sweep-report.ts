// report.html of a sweep folder, from sweep.csv and run.json alone: where each model stays within
// limits (the frontier along the last grid key), and the curve of any column against any grid key,
// one line per model (and per value of the other keys). Every curve is drawn when the report is
// written; the two menus only choose which one is shown (a few lines of script, nothing loaded).
import { parseCsv, num, type Table } from '../csv-read.js';
import { columnLabel } from '../columns.js';
import { frontier, NPL_THRESHOLD_MS, type FrontierRow } from '../../sweep/limits.js';
import type { SweepMeta } from '../../sweep/files.js';
import { esc, lineChart, type Axis, type Series } from './svg.js';
import { formatterFor } from './format.js';
import { modelColor, page, table } from './page.js';

const IDENTITY = new Set(['scenario', 'model', 'phase', 'nodes']);
const DASHES = ['', '7 3', '2 3', '10 3 2 3', '4 4', '1 2'];
const DEFAULT_COLUMN = 'watch_bytes';

/** A grid key's last path segment, for labels: services.0.replicas -> replicas. */
export const shortKey = (key: string): string => key.split('.').pop() ?? key;

/** An axis over a grid key's values: numeric (log when they span decades) or one tick per value. */
export function gridAxis(key: string, values: readonly string[]): { axis: Axis; x: (v: string) => number } {
  const nums = values.map(Number);
  if (nums.every((v) => Number.isFinite(v))) {
    const positive = nums.every((v) => v > 0);
    const log = positive && Math.max(...nums) / Math.min(...nums) >= 20;
    return { axis: { label: key, scale: log ? 'log' : 'linear', format: (v) => formatterFor('')(v) }, x: Number };
  }
  return { axis: { label: key, format: (v) => (Number.isInteger(v) ? (values[v] ?? '') : '') }, x: (v) => values.indexOf(v) };
}

export function sweepReportHtml(csv: string, meta: SweepMeta): string {
  const t = parseCsv(csv);
  const keys = meta.grid.map((g) => g.key);
  const models = meta.models;
  const name = (meta.scenario as { name?: string })?.name ?? 'sweep';
  const description = (meta.scenario as { description?: string })?.description;
  const measured = t.columns.filter((c) => !keys.includes(c) && !IDENTITY.has(c) && t.rows.some((r) => Number.isFinite(num(r, c))));
  const points = new Set(t.rows.map((r) => keys.map((k) => r[k]).join('\u0000'))).size;

  const body = [
    `<h1>Sweep: ${esc(name)}</h1>`,
    description ? `<p class="sub">${esc(description.trim())}</p>` : '',
    `<p class="facts">${[
      `scenario file ${esc(meta.file)}`,
      ...meta.set.map((s) => `--set ${esc(s)}`),
      `seed ${meta.seed}`,
      `models: ${esc(models.join(', '))}`,
      `${points} of ${meta.points} points${meta.shard ? ` (shard ${meta.shard.index}/${meta.shard.count})` : ''}`,
    ].join(' · ')}</p>`,
    table(['grid key', 'values'], meta.grid.map((g) => [esc(g.key), esc(g.values.join(', '))])),
    limitsSection(t, meta),
    '<h2>Curves</h2>',
    `<p><label>x: <select id="x-key">${keys.map((k, i) => `<option value="${esc(k)}"${i === keys.length - 1 ? ' selected' : ''}>${esc(k)}</option>`).join('')}</select></label>` +
      `<label>y: <select id="column">${measured.map((c) => `<option value="${esc(c)}"${c === defaultColumn(measured) ? ' selected' : ''}>${esc(c)} (${esc(columnLabel(c))})</option>`).join('')}</select></label></p>`,
    `<div class="grid">${curves(t, meta, measured)}</div>`,
    '<h2>Every point</h2>',
    `<details><summary>sweep.csv as a table (${t.rows.length} rows)</summary>${table(
      t.columns.map(esc),
      t.rows.map((r) => t.columns.map((c) => esc(r[c]))),
    )}</details>`,
    `<footer>Written by slicesim ${esc(meta.version)} from sweep.csv and run.json in this folder; rebuild it with <code>slicesim report FOLDER</code>. Bytes in decimal units (1 GB = 10<sup>9</sup> bytes).</footer>`,
  ].join('\n');
  const script = `const xs=document.getElementById('x-key'),cs=document.getElementById('column');
function show(){for(const f of document.querySelectorAll('figure[data-col]'))f.hidden=!(f.dataset.x===xs.value&&f.dataset.col===cs.value);}
xs.addEventListener('change',show);cs.addEventListener('change',show);show();`;
  return page(`sweep ${name} — slicesim`, body, script);
}

const defaultColumn = (measured: string[]) => (measured.includes(DEFAULT_COLUMN) ? DEFAULT_COLUMN : measured[0]);

/** One chart per (grid key, column): a line per model and combination of the other keys' values. */
function curves(t: Table, meta: SweepMeta, measured: string[]): string {
  const keys = meta.grid.map((g) => g.key);
  const out: string[] = [];
  for (const g of meta.grid) {
    const others = meta.grid.filter((o) => o.key !== g.key);
    const combos = combinations(others.map((o) => o.values));
    const { axis, x } = gridAxis(g.key, g.values);
    for (const column of measured) {
      const series: Series[] = [];
      meta.models.forEach((model, mi) => {
        combos.forEach((combo, ci) => {
          const rows = t.rows.filter((r) => r.model === model && others.every((o, i) => r[o.key] === combo[i]));
          if (!rows.length) return;
          series.push({
            name: model,
            color: modelColor(model, mi),
            dash: DASHES[ci % DASHES.length] || undefined,
            endLabel: combos.length > 1 ? others.map((o, i) => `${shortKey(o.key)}=${combo[i]}`).join(' ') : undefined,
            points: g.values.map((v) => [x(v), num(rows.find((r) => r[g.key] === v), column)] as const),
          });
        });
      });
      const ys = series.flatMap((s) => s.points.map((p) => p[1])).filter(Number.isFinite);
      const logY = ys.length > 0 && ys.every((v) => v > 0) && Math.max(...ys) / Math.min(...ys) > 100;
      const shown = g.key === keys[keys.length - 1] && column === defaultColumn(measured);
      out.push(
        lineChart({
          id: `curve-${keys.indexOf(g.key)}-${column}`,
          title: `${columnLabel(column)} against ${g.key}`,
          x: axis,
          y: { label: column, scale: logY ? 'log' : 'linear', format: formatterFor(column), include: logY ? [] : [0] },
          series,
          dots: true,
          threshold: /(^|_)p99_ms$/.test(column) ? { y: NPL_THRESHOLD_MS, label: "clusterloader2's 30 s threshold" } : undefined,
        }).replace('<figure class="chart"', `<figure class="chart" data-x="${esc(g.key)}" data-col="${esc(column)}"${shown ? '' : ' hidden'}`),
      );
    }
  }
  return out.join('\n');
}

function combinations(lists: string[][]): string[][] {
  return lists.reduce<string[][]>((acc, list) => acc.flatMap((c) => list.map((v) => [...c, v])), [[]]);
}

/** The frontier along the last grid key, when the sweep has the columns the limits need. */
function limitsSection(t: Table, meta: SweepMeta): string {
  if (!t.columns.includes('programming_latency_p99_ms') || !t.columns.includes('rejected_writes')) return '';
  const keys = meta.grid.map((g) => g.key);
  const sizeKey = keys[keys.length - 1];
  const rows = frontier(t.rows, keys, sizeKey, meta.models);
  const byKeys = keys.slice(0, -1);
  return [
    '<h2>Within limits</h2>',
    `<p>For each model${byKeys.length ? ` and ${byKeys.map(esc).join(', ')}` : ''}, the largest <code>${esc(sizeKey)}</code> at which the run and every smaller one keep every write accepted by etcd, network programming latency p99 under 30 s (clusterloader2's threshold) and, where reported, every node up to date at the end.</p>`,
    frontierTable(rows, byKeys, sizeKey, meta.grid[meta.grid.length - 1].values),
    byKeys.length === 1 ? `<div class="grid">${frontierChart(rows, meta.grid[0].key, meta.grid[0].values, sizeKey, meta.models, false)}</div>` : '',
  ].join('\n');
}

export function frontierTable(rows: readonly FrontierRow[], byKeys: readonly string[], sizeKey: string, sizeValues: readonly string[]): string {
  return table(
    [...byKeys.map(esc), 'model', `largest ${esc(shortKey(sizeKey))} within limits`, 'first outside', 'limited by'],
    rows.map((f) => [...f.by.map(esc), esc(f.model), esc(f.largest || `below ${sizeValues[0]}`), esc(f.firstOutside || `none up to ${sizeValues[sizeValues.length - 1]}`), esc(f.limitedBy || '–')]),
  );
}

/** The frontier as a chart: x the other grid key, y the largest size within limits, a line per model. */
export function frontierChart(rows: readonly FrontierRow[], byKey: string, byValues: readonly string[], sizeKey: string, models: readonly string[], standalone: boolean, title?: string): string {
  const { axis, x } = gridAxis(byKey, byValues);
  const series: Series[] = models.map((m, i) => ({
    name: m,
    color: modelColor(m, i),
    points: rows.filter((f) => f.model === m).map((f) => [x(f.by[0]), f.largest === '' ? NaN : Number(f.largest)] as const),
  }));
  // With two models, the ratio of their limits halfway (on the log axis) between the two points.
  const labels =
    models.length === 2
      ? byValues.flatMap((b) => {
          const [a, c] = models.map((m) => Number(rows.find((f) => f.model === m && f.by[0] === b)?.largest || NaN));
          return Number.isFinite(a) && Number.isFinite(c) && a > 0 ? [{ x: x(b), y: Math.sqrt(a * c), text: `${Number((c / a).toPrecision(2))}×` }] : [];
        })
      : [];
  return lineChart({
    id: 'frontier',
    labels,
    title: title ?? `Largest ${shortKey(sizeKey)} within limits, by ${shortKey(byKey)}`,
    x: { ...axis, scale: 'linear' },
    y: { label: `largest ${shortKey(sizeKey)} within limits`, scale: 'log', format: formatterFor('') },
    series,
    dots: true,
    standalone,
  });
}
