#!/usr/bin/env node
// README "Routing by topology": the table of mechanisms, generated from the committed results of
// scenarios/topology-*.yaml (endpointslices model, phase `all`, and the zone-failure phase where there
// is one). Usage: node tools/topology-table.mjs [results-dir]   (prints Markdown)
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../dist/report/csv-read.js';

const dir = process.argv[2] ?? new URL('../results', import.meta.url).pathname;

/** Rows of one of our CSV files by column name (the program's own reader; `npm run build` first). */
const csv = (file) => parseCsv(readFileSync(file, 'utf8')).rows;

const pct = (x) => (x === '' || x === undefined ? '-' : `${(Number(x) * 100).toFixed(1)}%`);
const names = readdirSync(dir).filter((n) => n.startsWith('topology-') && existsSync(join(dir, n, 'summary.csv'))).sort();
const base = names.includes('topology-none') ? csv(join(dir, 'topology-none', 'summary.csv')).find((r) => r.model === 'endpointslices' && r.phase === 'all') : undefined;

const rows = [
  '| scenario | mechanism | cross-zone share | in zone failure | busiest endpoint / mean | dropped | hint-only writes | writes | watch bytes vs none |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
];
for (const name of names) {
  const run = JSON.parse(readFileSync(join(dir, name, 'run.json'), 'utf8'));
  const summary = csv(join(dir, name, 'summary.csv')).filter((r) => r.model === 'endpointslices');
  const all = summary.find((r) => r.phase === 'all');
  if (!all || all.cross_zone_traffic_fraction === undefined) continue;
  const failure = summary.find((r) => r.phase === 'zone-failure');
  const mechanism = String(run.scenario.description ?? '').split(';')[0];
  // Watch bytes compare only with scenarios of the same shape as topology-none.
  const same = base && run.scenario.services?.[0]?.replicas === 30 && run.scenario.cluster?.nodes === 300 && run.scenario.workload?.map((s) => s.name).join() === 'rollout,zone-failure';
  const bytes = same ? `${(((Number(all.watch_bytes) - Number(base.watch_bytes)) / Number(base.watch_bytes)) * 100).toFixed(1)}%` : '-';
  rows.push(`| ${name} | ${mechanism} | ${pct(all.cross_zone_traffic_fraction)} | ${failure ? pct(failure.cross_zone_traffic_fraction) : '-'} | ${all.max_endpoint_load_ratio} | ${pct(all.dropped_traffic_fraction)} | ${all.hint_writes} | ${all.writes} | ${bytes} |`);
}
process.stdout.write(`${rows.join('\n')}\n`);
