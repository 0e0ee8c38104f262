// `npm run bench`: wall time and peak memory of the scenarios with speed targets, each measured in a
// fresh process (median of several runs), printed as a table; exits 1 when a target is missed, so the
// targets are regression checks rather than hopes.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from 'd3-array';

interface Case {
  name: string;
  scenario: string;
  set?: string[];
  /** Median wall time must stay under this. */
  targetMs?: number;
  targetRssBytes?: number;
}

const GB = 1e9;
const ROLLOUT = 'scenarios/rolling-update-5000x3000-10gbps.yaml';

const CASES: Case[] = [
  { name: 'blog 5000 pods x 3000 nodes, both models', scenario: 'scenarios/blog-5000x3000.yaml', targetMs: 1000 },
  { name: 'realistic rollout 5000 x 3000 at 10 Gbps, both models', scenario: ROLLOUT, targetMs: 2000 },
  { name: 'same rollout on 500 nodes', scenario: ROLLOUT, set: ['--set', 'cluster.nodes=500'] },
  { name: '100,000 endpoints on 5000 nodes, rollout, both models', scenario: 'bench/scale-100k.yaml', targetMs: 30_000, targetRssBytes: 2 * GB },
  { name: 'KEP-752 20000 x 5000, B=1 at 1 KB (20,000 slices)', scenario: 'scenarios/kep752-20000x5000-b1-1kb.yaml' },
];

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const worker = fileURLToPath(new URL('./run-one.js', import.meta.url));

interface Sample {
  wallMs: number;
  maxRssBytes: number;
  events: number;
}

function measure(c: Case): Sample[] {
  return Array.from({ length: RUNS }, () => {
    const sets = (c.set ?? []).filter((x) => x !== '--set');
    const out = execFileSync(process.execPath, [worker, c.scenario, ...sets], { encoding: 'utf8', maxBuffer: 1 << 20 });
    return JSON.parse(out) as Sample;
  });
}

const rows: string[][] = [['benchmark', 'median ms', 'min ms', 'max ms', 'peak MB', 'events', 'target', 'ok']];
let failed = 0;
const medians = new Map<string, number>();
for (const c of CASES) {
  const samples = measure(c);
  medians.set(c.name, median(samples.map((s) => s.wallMs))!);
  const ms = samples.map((s) => s.wallMs);
  const wall = median(ms)!;
  const rss = Math.max(...samples.map((s) => s.maxRssBytes));
  const okTime = c.targetMs === undefined || wall < c.targetMs;
  const okRss = c.targetRssBytes === undefined || rss < c.targetRssBytes;
  if (!okTime || !okRss) failed++;
  const target = [c.targetMs !== undefined ? `< ${c.targetMs} ms` : '', c.targetRssBytes !== undefined ? `< ${c.targetRssBytes / 1e6} MB` : ''].filter(Boolean).join(', ') || '—';
  rows.push([c.name, wall.toFixed(0), Math.min(...ms).toFixed(0), Math.max(...ms).toFixed(0), (rss / 1e6).toFixed(0), String(samples[0].events), target, okTime && okRss ? 'yes' : 'NO']);
}
// Run time must grow with writes, not nodes: the same rollout on 10x the nodes at most 1.5x slower.
const growth = medians.get(CASES[1].name)! / medians.get(CASES[2].name)!;
const growthOk = growth <= 1.5;
if (!growthOk) failed++;
rows.push(['run time, 5000 nodes / 500 nodes (same writes)', growth.toFixed(2), '', '', '', '', '<= 1.5', growthOk ? 'yes' : 'NO']);

const engine = JSON.parse(execFileSync(process.execPath, [fileURLToPath(new URL('./engine.js', import.meta.url))], { encoding: 'utf8' })) as { engineEventsPerSecond: number; naiveEventsPerSecond: number };
const engineOk = engine.engineEventsPerSecond > engine.naiveEventsPerSecond;
if (!engineOk) failed++;
rows.push(['engine events/s: typed-array heap vs naive object heap', `${(engine.engineEventsPerSecond / 1e6).toFixed(2)}M`, `${(engine.naiveEventsPerSecond / 1e6).toFixed(2)}M`, '', '', '2M', 'faster', engineOk ? 'yes' : 'NO']);

const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const r of rows) console.log(r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
console.log(`\n${RUNS} runs each, every run in a fresh process; wall time from loading the scenario to the result files built in memory.`);
if (failed > 0) {
  console.log(`${failed} benchmark(s) missed their target`);
  process.exit(1);
}
