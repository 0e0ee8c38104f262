#!/usr/bin/env node
// README "How long until every node knows": the tables, generated from the committed results (phase
// `all` rows of summary.csv, run.json books, the last timeseries.csv sample with a node out of date).
// Usage: node tools/latency-tables.mjs [results-dir]   (prints Markdown)
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../dist/report/csv-read.js';

const dir = process.argv[2] ?? new URL('../results', import.meta.url).pathname;

/** Rows of one of our CSV files by column name (the program's own reader; `npm run build` first). */
const csv = (file) => parseCsv(readFileSync(file, 'utf8')).rows;

const seconds = (ms) => {
  if (ms === '' || ms === undefined) return '-';
  const s = Number(ms) / 1000;
  if (s >= 600) return `${(s / 60).toFixed(1)} min`;
  return s >= 10 ? `${s.toFixed(0)} s` : `${s.toFixed(1)} s`;
};
const bytes = (n) => {
  const x = Number(n);
  if (x === 0) return '0';
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let i = 0;
  let v = x;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${Number(v.toPrecision(3))} ${units[i]}`;
};

/** One model's figures in one result folder. */
function figures(name, model, start = 60) {
  const all = csv(join(dir, name, 'summary.csv')).find((r) => r.model === model && r.phase === 'all');
  const books = JSON.parse(readFileSync(join(dir, name, 'run.json'), 'utf8')).egress[model];
  const samples = csv(join(dir, name, 'timeseries.csv')).filter((r) => r.model === model);
  const nodes = Number(all.nodes);
  const behind = samples.filter((r) => Number(r.nodes_up_to_date) < nodes).at(-1);
  const settled = samples.at(-1);
  const last = behind ? Math.max(Number(behind.time_s), Number(settled.time_s)) - start : 0;
  return { all, books, last: `${last >= 600 ? `${(last / 60).toFixed(1)} min` : `${Math.round(last)} s`}` };
}

const label = { endpoints: 'Endpoints', endpointslices: 'EndpointSlices' };
const out = [];

// 1. The rollout as three releases run it.
out.push('| release | kube-proxy watches | p50 | p99 | max | clusterloader2 p99 | watchers closed | replayed | re-listed | last node up to date |');
out.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [name, version, model] of [['versions-1-18-5000x3000', '1.18', 'endpoints'], ['versions-1-21-5000x3000', '1.21', 'endpointslices'], ['versions-1-35-5000x3000', '1.35', 'endpointslices']]) {
  if (!existsSync(join(dir, name))) continue;
  const { all, books, last } = figures(name, model);
  out.push(`| ${version} (\`${name}\`) | ${label[model]} | ${seconds(all.programming_latency_p50_ms)} | ${seconds(all.programming_latency_p99_ms)} | ${seconds(all.programming_latency_max_ms)} | ${seconds(all.npl_cl2_p99_ms)} | ${books.terminatedWatchers} | ${bytes(all.replay_bytes)} | ${bytes(all.relist_bytes)} | ${last} |`);
}
out.push('');

// 2. Egress and stalls, both models, without a version profile.
out.push('| scenario | model | p50 | p99 | max | watchers closed | replayed | re-listed | last node up to date |');
out.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [name, what] of [['rolling-update-5000x3000', 'unlimited egress'], ['rolling-update-5000x3000-10gbps', '10 Gbps'], ['rolling-update-5000x3000-1gbps', '1 Gbps'], ['watcher-stall', '10 Gbps, 300 nodes stalled 2 min']]) {
  if (!existsSync(join(dir, name))) continue;
  for (const model of ['endpoints', 'endpointslices']) {
    const { all, books, last } = figures(name, model);
    out.push(`| ${model === 'endpoints' ? `${what} (\`${name}\`)` : ''} | ${label[model]} | ${seconds(all.programming_latency_p50_ms)} | ${seconds(all.programming_latency_p99_ms)} | ${seconds(all.programming_latency_max_ms)} | ${books.terminatedWatchers} | ${bytes(all.replay_bytes)} | ${bytes(all.relist_bytes)} | ${last} |`);
  }
}
out.push('');

// 3. Calibration against clusterloader2 on 5000 nodes: the published figures (README gives the sources)
// and the published median, for the ratio.
const published = {
  'cl2-load-5000-1-25-minsync-10s': { text: 'about 27 / 36 / 42 s (KEP-3453: full restores)', p50: 27 },
  'cl2-load-5000-1-27-minsync-10s': { text: 'about 13 / 19 / 24 s (KEP-3453: partial restores)', p50: 13 },
  'cl2-load-5000-1-27': { text: 'about 5 / 18 / 24 s (KEP-3453: min-sync 1 s)', p50: 5 },
  'cl2-load-5000': { text: 'none for nftables; p99 about 20-25 s in Nov 2023 (iptables, perf-tests#2407)', p50: undefined },
};
out.push('| scenario | release, mode, minSyncPeriod, cpuShare | simulated p50 / p90 / p99 (clusterloader2) | published p50 / p90 / p99 | p50 simulated / published | syncs per node | full syncs per node |');
out.push('| --- | --- | ---: | --- | ---: | ---: | ---: |');
for (const name of Object.keys(published)) {
  if (!existsSync(join(dir, name))) continue;
  const run = JSON.parse(readFileSync(join(dir, name, 'run.json'), 'utf8'));
  const all = csv(join(dir, name, 'summary.csv')).find((r) => r.model === 'endpointslices' && r.phase === 'all');
  const books = run.egress.endpointslices;
  const nodes = Number(all.nodes);
  const kp = run.scenario.kubeProxy;
  const { text, p50 } = published[name];
  const ratio = p50 === undefined ? '-' : `${(Number(all.npl_cl2_p50_ms) / 1000 / p50).toFixed(2)}`;
  out.push(`| \`${name}\` | ${run.scenario.kubernetes}, ${kp.mode}, ${kp.minSyncPeriod}, ${kp.cpuShare} | ${seconds(all.npl_cl2_p50_ms)} / ${seconds(all.npl_cl2_p90_ms)} / ${seconds(all.npl_cl2_p99_ms)} | ${text} | ${ratio} | ${Math.round(books.proxySyncs / nodes)} | ${Math.round(books.proxyFullSyncs / nodes)} |`);
}
process.stdout.write(`${out.join('\n')}\n`);
