// report.html and perfdata.json are built from a run folder's own files: `slicesim report` rebuilds
// them identically from any folder; perfdata.json has clusterloader2's PerfData shape with the
// quantiles of latency.csv; the printed summary and the progress bar show what they promise.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_DIR } from './paths.js';
import { parseCsv } from '../src/report/csv-read.js';

const cli = (...args: string[]) => spawnSync('node', [join(REPO_DIR, 'dist/cli/main.js'), ...args], { encoding: 'utf8', cwd: REPO_DIR });
const tmp = () => mkdtempSync(join(tmpdir(), 'slicesim-report-'));
const committed = (name: string, file: string) => readFileSync(join(REPO_DIR, 'results', name, file), 'utf8');

describe('slicesim report', () => {
  it('rebuilds report.html and perfdata.json of a committed folder byte for byte from its CSV and JSON files', () => {
    const dir = join(tmp(), 'copy');
    cpSync(join(REPO_DIR, 'results', 'watcher-stall'), dir, { recursive: true });
    rmSync(join(dir, 'report.html'));
    writeFileSync(join(dir, 'perfdata.json'), '{}');
    const r = cli('report', dir, '--quiet');
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toBe(committed('watcher-stall', 'report.html'));
    expect(readFileSync(join(dir, 'perfdata.json'), 'utf8')).toBe(committed('watcher-stall', 'perfdata.json'));
  });

  it('refuses a folder that is not a slicesim result, writing nothing', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'summary.csv'), 'a,b\n');
    const r = cli('report', dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('not a slicesim result folder');
  });
});

describe('perfdata.json', () => {
  it.each(['rolling-update-5000x3000-10gbps', 'etcd-limit'])('%s: PerfData v1, NetworkProgrammingLatency per model in ms, the clusterloader2 statistic of summary.csv', (name) => {
    const perf = JSON.parse(committed(name, 'perfdata.json'));
    const latency = parseCsv(committed(name, 'latency.csv')).rows;
    const summary = parseCsv(committed(name, 'summary.csv')).rows;
    expect(perf.version).toBe('v1');
    expect(perf.labels.Scenario).toBe(name);
    const models = [...new Set(latency.map((r) => r.model))];
    expect(perf.dataItems.map((d: { labels: { Model: string } }) => d.labels.Model)).toEqual(models);
    for (const item of perf.dataItems) {
      expect(Object.keys(item)).toEqual(['data', 'unit', 'labels']);
      expect(item.unit).toBe('ms');
      expect(item.labels.Metric).toBe('NetworkProgrammingLatency');
      // The columns npl_cl2_p50/p90/p99_ms: the 99th percentile over time of the 5-minute quantiles.
      const all = summary.find((r) => r.model === item.labels.Model && r.phase === 'all')!;
      expect(item.data).toEqual({ Perc50: Number(all.npl_cl2_p50_ms), Perc90: Number(all.npl_cl2_p90_ms), Perc99: Number(all.npl_cl2_p99_ms) });
    }
  });
});

describe('printed summary and progress', () => {
  const file = join(REPO_DIR, 'scenarios', 'rolling-update-5000x3000-1gbps.yaml');

  it('prints writes, refusals, watch and re-list bytes, latency p50/p99 and nodes up to date per phase and model', () => {
    const out = tmp();
    const r = cli('run', join(REPO_DIR, 'scenarios', 'etcd-limit.yaml'), '--out', join(out, 'x'));
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    const head = lines.find((l) => l.startsWith('phase'))!;
    for (const h of ['writes', 'refused size/quota', 'watch bytes', 're-list bytes', 'latency p50', 'p99', 'nodes up to date']) expect(head).toContain(h);
    const summary = parseCsv(readFileSync(join(out, 'x', 'summary.csv'), 'utf8')).rows;
    const all = summary.find((s) => s.model === 'endpoints' && s.phase === 'all')!;
    const line = lines.find((l) => /^all\s+endpoints\s/.test(l))!;
    expect(line).toContain(`${Number(all.rejected_writes).toLocaleString('en-US')}/${all.quota_rejected_writes}`);
    expect(line).toMatch(/\d[\d,]*\/1,000$|\d[\d,]*\/[\d,]+$/);
    expect(r.stdout).toContain('endpoints ÷ endpointslices, whole run: watch bytes');
    // not a terminal: no progress on stderr
    expect(r.stderr).toBe('');
  });

  // `script` gives the command a pseudo-terminal, as a user's shell would.
  // Only stderr reaches the captured terminal output (stdout goes to /dev/null).
  const inTerminal = (args: string, env: Record<string, string> = {}) =>
    spawnSync('script', ['-qec', `node ${join(REPO_DIR, 'dist/cli/main.js')} ${args} 2>&1 >/dev/null`, '/dev/null'], { encoding: 'utf8', cwd: REPO_DIR, env: { ...process.env, ...env } });

  it('draws a progress bar with the model and simulated time on a terminal, once the run has taken its delay', () => {
    const out = tmp();
    // The delay is 1 s; set to 0 here so the test does not depend on how fast this machine is.
    const r = inTerminal(`run ${file} --out ${join(out, 'x')} --jobs 1`, { SLICESIM_PROGRESS_DELAY_MS: '0' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\[#*\.*\] rolling-update-5000x3000-1gbps · endpoints \(1\/2\) · simulated \d+m\d\ds · phase/);
    expect(r.stdout).toContain('endpointslices (2/2)');
  });

  it('names both models on the progress bar when they are simulated side by side', () => {
    const out = tmp();
    const r = inTerminal(`run ${file} --out ${join(out, 'x')} --jobs 2`, { SLICESIM_PROGRESS_DELAY_MS: '0' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\[#*\.*\] rolling-update-5000x3000-1gbps · endpoints \+ endpointslices side by side · simulated \d+m\d\ds · phase/);
  });

  it('is silent with --quiet, even on a terminal', () => {
    const out = tmp();
    const r = inTerminal(`run ${file} --out ${join(out, 'x')} --quiet`, { SLICESIM_PROGRESS_DELAY_MS: '0' });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
  });

  it('shows nothing for a run shorter than its delay', () => {
    const out = tmp();
    const r = inTerminal(`run ${file} --out ${join(out, 'x')}`, { SLICESIM_PROGRESS_DELAY_MS: '3600000' });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
  });
});

describe('every committed report.html is self-contained', () => {
  const folders = [
    ...readdirSync(join(REPO_DIR, 'results')).map((d) => join(REPO_DIR, 'results', d)),
    ...(existsSync(join(REPO_DIR, 'results', 'sweeps')) ? readdirSync(join(REPO_DIR, 'results', 'sweeps')).map((d) => join(REPO_DIR, 'results', 'sweeps', d)) : []),
  ].filter((d) => existsSync(join(d, 'report.html')));
  it.each(folders.map((f) => [f.slice(REPO_DIR.length), f]))('%s: nothing loaded from elsewhere, no timestamp', (_, dir) => {
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).not.toMatch(/\s(src|href)=["']?(https?:|\/\/)/i);
    expect(html).not.toMatch(/url\(|@import|<link\b|<img\b|<iframe\b|fetch\(|XMLHttpRequest/i);
    expect(html).not.toMatch(/\b20\d\d-\d\d-\d\dT\d\d:/); // deterministic: no generation time
    expect(html).toContain('<svg');
  });
});
