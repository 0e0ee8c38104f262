// Charts as inline SVG text, written here rather than taken from a chart library: the pages must work
// without network access and be byte-identical for the same results (committed results are compared
// byte for byte), and a library big enough to draw axes and legends would weigh more than the data it
// draws. Everything is computed when the report is written; the page needs no script to show a chart.

export type Scale = 'linear' | 'log';

export interface Axis {
  label: string;
  scale?: Scale;
  format?: (v: number) => string;
  /** Force the domain to include these values (e.g. 0, or 100 for percentiles). */
  include?: number[];
}

export interface Series {
  name: string;
  color: string;
  points: (readonly [number, number])[];
  dash?: string;
  /** Written at the line's last point (when several lines share a color). */
  endLabel?: string;
}

export interface LineChartSpec {
  id: string;
  title: string;
  x: Axis;
  y: Axis;
  series: Series[];
  /** Vertical markers (phase starts), labelled at the top. */
  markers?: { x: number; label: string }[];
  /** A horizontal threshold line. */
  threshold?: { y: number; label: string };
  /** Text at data coordinates (e.g. a ratio between two lines). */
  labels?: { x: number; y: number; text: string }[];
  /** Dots on every point (for sparse curves such as sweeps). */
  dots?: boolean;
  /** A standalone .svg file (xmlns, white background) instead of an element inside a page. */
  standalone?: boolean;
  note?: string;
}

export interface BarChartSpec {
  id: string;
  title: string;
  categories: string[];
  series: { name: string; color: string; values: number[] }[];
  y: Axis;
  note?: string;
}

const W = 640;
const H = 330;
const M = { left: 72, right: 24, top: 34, bottom: 50 };

export const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const r1 = (v: number) => Math.round(v * 10) / 10;

/** "Nice" tick values (1, 2, 5 × 10^k) covering [lo, hi]. */
export function linearTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

interface ScaleFn {
  (v: number): number;
  ticks: number[];
  valid: (v: number) => boolean;
}

function makeScale(axis: Axis, values: number[], from: number, to: number): ScaleFn {
  const log = axis.scale === 'log';
  const vs = [...values, ...(axis.include ?? [])].filter((v) => Number.isFinite(v) && (!log || v > 0));
  let lo = vs.length ? Math.min(...vs) : 0;
  let hi = vs.length ? Math.max(...vs) : 1;
  let ticks: number[];
  if (log) {
    if (!vs.length) [lo, hi] = [1, 10];
    lo = 10 ** Math.floor(Math.log10(lo));
    hi = 10 ** Math.ceil(Math.log10(hi));
    if (hi === lo) hi = lo * 10;
    const decades = Math.round(Math.log10(hi / lo));
    const stride = Math.ceil(decades / 7);
    ticks = [];
    for (let d = 0; d <= decades; d += stride) ticks.push(lo * 10 ** d);
    if (decades <= 2) ticks = ticks.flatMap((t, i) => (i === ticks.length - 1 ? [t] : [t, 2 * t, 5 * t])).filter((t) => t <= hi);
    const f = (v: number) => from + ((Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * (to - from);
    return Object.assign(f, { ticks, valid: (v: number) => Number.isFinite(v) && v > 0 });
  }
  if (hi === lo) {
    hi = lo === 0 ? 1 : lo + Math.abs(lo) * 0.1;
    lo = lo === 0 ? 0 : lo - Math.abs(lo) * 0.1;
  }
  ticks = linearTicks(lo, hi);
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
  lo = Math.min(lo, ticks[0]);
  if (ticks[ticks.length - 1] < hi) ticks.push(Number((ticks[ticks.length - 1] + step).toPrecision(12)));
  hi = ticks[ticks.length - 1];
  const f = (v: number) => from + ((v - lo) / (hi - lo)) * (to - from);
  return Object.assign(f, { ticks, valid: Number.isFinite });
}

function frame(spec: { id: string; title: string; standalone?: boolean; note?: string }, kind: string, body: string, height = H): string {
  const svg = `<svg${spec.standalone ? ' xmlns="http://www.w3.org/2000/svg"' : ''} class="chart-svg" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" role="img" aria-label="${esc(spec.title)}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="11">${
    spec.standalone ? `<rect width="${W}" height="${height}" fill="#fff"/><text x="${M.left}" y="16" font-size="13" font-weight="600">${esc(spec.title)}</text>` : ''
  }${body}</svg>`;
  if (spec.standalone) return `${svg}\n`;
  return `<figure class="chart" id="${esc(spec.id)}" data-kind="${kind}"><figcaption>${esc(spec.title)}</figcaption>${svg}${spec.note ? `<p class="note">${esc(spec.note)}</p>` : ''}</figure>`;
}

/** Grid lines, tick labels and axis titles; `x` absent for bar charts, whose categories label themselves. */
function axes(x: ScaleFn | undefined, y: ScaleFn, xAxis: Axis, yAxis: Axis, height: number, plotRight = W - M.right): string {
  const fx = xAxis.format ?? String;
  const fy = yAxis.format ?? String;
  const bottom = height - M.bottom;
  const parts: string[] = [];
  for (const t of y.ticks) {
    const py = r1(y(t));
    parts.push(`<line x1="${M.left}" x2="${plotRight}" y1="${py}" y2="${py}" stroke="#e4e4e4"/><text x="${M.left - 6}" y="${py + 4}" text-anchor="end" fill="#444">${esc(fy(t))}</text>`);
  }
  if (x) {
    for (const t of x.ticks) {
      const px = r1(x(t));
      parts.push(`<line x1="${px}" x2="${px}" y1="${bottom}" y2="${bottom + 4}" stroke="#888"/><text x="${px}" y="${bottom + 16}" text-anchor="middle" fill="#444">${esc(fx(t))}</text>`);
    }
  }
  parts.push(`<line x1="${M.left}" x2="${plotRight}" y1="${bottom}" y2="${bottom}" stroke="#888"/><line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${bottom}" stroke="#888"/>`);
  parts.push(`<text x="${(M.left + plotRight) / 2}" y="${height - 8}" text-anchor="middle" fill="#222">${esc(xAxis.label)}${xAxis.scale === 'log' ? ' (log scale)' : ''}</text>`);
  parts.push(`<text transform="translate(14 ${(M.top + bottom) / 2}) rotate(-90)" text-anchor="middle" fill="#222">${esc(yAxis.label)}${yAxis.scale === 'log' ? ' (log scale)' : ''}</text>`);
  return parts.join('');
}

function legend(entries: { name: string; color: string; dash?: string }[], top: number): string {
  const seen = new Set<string>();
  let x = M.left;
  const parts: string[] = [];
  for (const e of entries) {
    if (seen.has(e.name)) continue;
    seen.add(e.name);
    parts.push(`<g class="legend-item"><line x1="${x}" x2="${x + 18}" y1="${top}" y2="${top}" stroke="${e.color}" stroke-width="3"${e.dash ? ` stroke-dasharray="${e.dash}"` : ''}/><text x="${x + 22}" y="${top + 4}" fill="#222">${esc(e.name)}</text></g>`);
    x += 30 + e.name.length * 6.5;
  }
  return parts.join('');
}

/** Lines (one per series) over numeric x; NaN or non-positive (on log axes) points break the line. */
export function lineChart(spec: LineChartSpec): string {
  const right = spec.series.some((s) => s.endLabel) ? 96 : M.right;
  const plotRight = W - right;
  const bottom = H - M.bottom;
  const top = spec.standalone ? M.top + 22 : M.top;
  const x = makeScale(spec.x, spec.series.flatMap((s) => s.points.map((p) => p[0])), M.left, plotRight);
  const y = makeScale(spec.y, spec.series.flatMap((s) => s.points.map((p) => p[1])), bottom, top);
  const parts: string[] = [axes(x, y, spec.x, spec.y, H, plotRight)];
  for (const m of spec.markers ?? []) {
    if (!x.valid(m.x)) continue;
    const px = r1(x(m.x));
    parts.push(`<line class="marker" x1="${px}" x2="${px}" y1="${top}" y2="${bottom}" stroke="#999" stroke-dasharray="3 3"/><text x="${px + 3}" y="${top + 10}" fill="#666" font-size="10">${esc(m.label)}</text>`);
  }
  // A threshold outside the data's range is left out rather than drawn outside the plot.
  const ty = spec.threshold && y.valid(spec.threshold.y) ? r1(y(spec.threshold.y)) : NaN;
  if (spec.threshold && ty >= top && ty <= bottom) {
    const py = ty;
    parts.push(`<line class="threshold" x1="${M.left}" x2="${plotRight}" y1="${py}" y2="${py}" stroke="#b00" stroke-dasharray="6 3"/><text x="${plotRight - 4}" y="${py - 4}" text-anchor="end" fill="#b00" font-size="10">${esc(spec.threshold.label)}</text>`);
  }
  for (const s of spec.series) {
    let d = '';
    let pen = false;
    const dots: string[] = [];
    let last: [number, number] | undefined;
    for (const [vx, vy] of s.points) {
      if (!x.valid(vx) || !y.valid(vy)) {
        pen = false;
        continue;
      }
      const px = r1(x(vx));
      const py = r1(y(vy));
      d += `${pen ? 'L' : 'M'}${px} ${py}`;
      pen = true;
      last = [px, py];
      if (spec.dots) dots.push(`<circle cx="${px}" cy="${py}" r="3" fill="${s.color}"><title>${esc(`${s.name}: ${(spec.x.format ?? String)(vx)}, ${(spec.y.format ?? String)(vy)}`)}</title></circle>`);
    }
    if (!d) continue;
    parts.push(`<path class="line" data-series="${esc(s.name)}" d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}><title>${esc(s.name)}</title></path>${dots.join('')}`);
    if (s.endLabel && last) parts.push(`<text x="${last[0] + 5}" y="${last[1] + 4}" fill="${s.color}" font-size="10">${esc(s.endLabel)}</text>`);
  }
  for (const l of spec.labels ?? []) {
    if (!x.valid(l.x) || !y.valid(l.y)) continue;
    const px = r1(x(l.x));
    const nearRight = px > plotRight - 40;
    parts.push(`<text class="label" x="${nearRight ? px - 6 : px + 6}" y="${r1(y(l.y)) + 4}"${nearRight ? ' text-anchor="end"' : ''} fill="#333" font-size="11" font-weight="600">${esc(l.text)}</text>`);
  }
  parts.push(legend(spec.series, top - 18));
  return frame(spec, 'line', parts.join(''));
}

/** Grouped bars: one group per category, one bar per series, each bar labelled with its value. */
export function barChart(spec: BarChartSpec): string {
  const bottom = H - M.bottom;
  const y = makeScale({ ...spec.y, include: [0, ...(spec.y.include ?? [])] }, spec.series.flatMap((s) => s.values), bottom, M.top);
  const fy = spec.y.format ?? String;
  const n = spec.categories.length;
  const groupW = (W - M.left - M.right) / Math.max(n, 1);
  const barW = Math.min(48, (groupW * 0.8) / Math.max(spec.series.length, 1));
  const parts: string[] = [axes(undefined, y, { label: '' }, spec.y, H)];
  spec.categories.forEach((c, i) => {
    const gx = M.left + i * groupW + (groupW - barW * spec.series.length) / 2;
    spec.series.forEach((s, j) => {
      const v = s.values[i];
      if (!Number.isFinite(v)) return;
      const py = r1(y(v));
      const h = r1(bottom - py);
      const bx = r1(gx + j * barW);
      parts.push(`<rect class="bar" x="${bx}" y="${py}" width="${r1(barW - 2)}" height="${Math.max(h, 0.5)}" fill="${s.color}"><title>${esc(`${s.name}, ${c}: ${fy(v)}`)}</title></rect>`);
      parts.push(`<text x="${r1(bx + barW / 2 - 1)}" y="${py - 3}" text-anchor="middle" font-size="9" fill="#333">${esc(fy(v))}</text>`);
    });
    parts.push(`<text x="${r1(M.left + (i + 0.5) * groupW)}" y="${bottom + 16}" text-anchor="middle" fill="#444">${esc(c.length > 18 ? `${c.slice(0, 17)}…` : c)}</text>`);
  });
  parts.push(legend(spec.series, M.top - 18));
  return frame(spec, 'bar', parts.join(''));
}

/** At most `max` points: per bucket of consecutive points its first, lowest and highest, so peaks survive. */
export function downsample(points: (readonly [number, number])[], max: number): (readonly [number, number])[] {
  if (points.length <= max) return points;
  const per = Math.ceil(points.length / (max / 3));
  const out: (readonly [number, number])[] = [];
  for (let i = 0; i < points.length; i += per) {
    const bucket = points.slice(i, i + per);
    let lo = bucket[0];
    let hi = bucket[0];
    for (const p of bucket) {
      if (p[1] < lo[1]) lo = p;
      if (p[1] > hi[1]) hi = p;
    }
    const keep = [bucket[0], lo, hi].filter((p, k, a) => a.indexOf(p) === k).sort((a, b) => a[0] - b[0]);
    out.push(...keep);
  }
  const lastPoint = points[points.length - 1];
  if (out[out.length - 1] !== lastPoint) out.push(lastPoint);
  return out;
}
