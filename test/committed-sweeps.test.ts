// The committed sweeps (results/sweeps/) and the frontier the README shows are what the code
// produces: each report.html rebuilt from its sweep.csv, points re-simulated to the byte, the frontier
// recomputed from the sweeps, and the README's "Is it really 10x?" table taken from frontier.csv.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_DIR } from './paths.js';
import { sweepReportFiles, type SweepMeta } from '../src/sweep/files.js';
import { runPoint } from '../src/sweep/point.js';
import { pointIndex, pointSets } from '../src/sweep/grid.js';
import { frontierFiles } from '../src/cli/frontier.js';
import { parseCsv } from '../src/report/csv-read.js';
import { frontierMarkdown } from '../src/sweep/frontier-markdown.js';

const SWEEPS = join(REPO_DIR, 'results', 'sweeps');
const sweeps = existsSync(SWEEPS) ? readdirSync(SWEEPS).filter((d) => existsSync(join(SWEEPS, d, 'sweep.csv'))) : [];
const read = (...p: string[]) => readFileSync(join(SWEEPS, ...p), 'utf8');

describe('committed sweeps', () => {
  it('include the two frontier sweeps and their frontier', () => {
    expect(sweeps).toEqual(expect.arrayContaining(['frontier-endpoints-1-18', 'frontier-endpointslices']));
    expect(existsSync(join(SWEEPS, 'frontier', 'frontier.csv'))).toBe(true);
  });

  it.each(sweeps)('%s: report.html is rebuilt from sweep.csv and run.json byte for byte', (name) => {
    expect(sweepReportFiles(read(name, 'sweep.csv'), read(name, 'run.json'))['report.html']).toBe(read(name, 'report.html'));
  });

  it.each(sweeps)('%s: the two smallest points re-simulated give their committed rows', (name) => {
    const meta = JSON.parse(read(name, 'run.json')) as SweepMeta;
    const t = parseCsv(read(name, 'sweep.csv'));
    const keys = meta.grid.map((g) => g.key);
    // the smallest service at the smallest and largest cluster: cheap, and both ends of one axis
    const first = meta.grid.map((g) => g.values[0]);
    const other = [meta.grid[0].values[meta.grid[0].values.length - 1], ...first.slice(1)];
    for (const values of [first, other]) {
      const point = pointIndex(meta.grid, values);
      const r = runPoint({ point, file: join(REPO_DIR, meta.file), sets: [...meta.set, ...pointSets(meta.grid, point)], seed: meta.seed, models: meta.models as never });
      const committed = t.rows.filter((row) => keys.every((k, i) => row[k] === values[i]));
      expect(committed.map((row) => r.columns.map((c) => row[c]))).toEqual(r.rows);
    }
  });

  it('the frontier is recomputed from the committed sweeps byte for byte', () => {
    const sources = (JSON.parse(read('frontier', 'run.json')) as { sources: { folder: string }[] }).sources.map((s) => join(REPO_DIR, s.folder));
    const { files } = frontierFiles(sources);
    for (const f of ['frontier.csv', 'frontier.svg']) expect(files[f], f).toBe(read('frontier', f));
  });

  it('the README shows the committed frontier: its table and its chart', () => {
    const readme = readFileSync(join(REPO_DIR, 'README.md'), 'utf8');
    expect(readme).toContain(frontierMarkdown(read('frontier', 'frontier.csv')));
    expect(readme).toContain('](results/sweeps/frontier/frontier.svg)');
  });
});
