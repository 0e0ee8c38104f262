// The published figures, re-run from the committed scenarios and compared with the committed
// results (so the README's table cannot drift from the code), plus the blog's numbers asserted.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario } from '../src/scenario/load.js';
import { simulateModel } from '../src/simulation.js';
import { summaryCsv, summaryRows } from '../src/report/summary.js';
import { REPO_DIR } from './paths.js';

function rerun(name: string) {
  const s = loadScenario(join(REPO_DIR, 'scenarios', `${name}.yaml`));
  const rows = summaryRows(s, s.models.map((m) => simulateModel(s, m)));
  return { rows, csv: summaryCsv(rows) };
}
const cell = (rows: ReturnType<typeof rerun>['rows'], model: string, phase: string) => rows.find((r) => r.model === model && r.phase === phase)!;

describe('published figures', () => {
  it('blog: 4.5 GB per change, 22.5 TB per rollout for Endpoints; 90 MB and 450 GB for 100-endpoint slices', () => {
    const { rows, csv } = rerun('blog-5000x3000');
    const ep = cell(rows, 'endpoints', 'replace');
    expect(ep).toMatchObject({ writes: 5000, max_object_bytes: 1_500_000, watch_bytes: 22_500_000_000_000 });
    expect(Number(ep.watch_bytes) / Number(ep.writes)).toBe(4_500_000_000);
    const es = cell(rows, 'endpointslices', 'replace');
    expect(es).toMatchObject({ writes: 5000, watch_bytes: 450_000_000_000 });
    expect(Number(es.watch_bytes) / Number(es.writes)).toBe(90_000_000);
    expect(csv).toBe(readFileSync(join(REPO_DIR, 'results/blog-5000x3000/summary.csv'), 'utf8'));
  });

  it('KEP-752 sample case 2 (20 endpoints, 10 nodes): 10 KB / 10 KB / 200 KB', () => {
    const { rows, csv } = rerun('kep752-20x10');
    expect(cell(rows, 'endpoints', 'initial').watch_bytes).toBe(10_000);
    expect(cell(rows, 'endpointslices', 'initial').watch_bytes).toBe(10_000);
    for (const m of ['endpoints', 'endpointslices']) {
      expect(cell(rows, m, 'one-update').watch_bytes).toBe(10_000);
      expect(cell(rows, m, 'rolling-update').watch_bytes).toBe(200_000);
    }
    expect(csv).toBe(readFileSync(join(REPO_DIR, 'results/kep752-20x10/summary.csv'), 'utf8'));
    const b1 = rerun('kep752-20x10-b1');
    expect(cell(b1.rows, 'endpointslices', 'initial').watch_bytes).toBe(200_000);
    expect(cell(b1.rows, 'endpointslices', 'one-update').watch_bytes).toBe(10_000);
    expect(cell(b1.rows, 'endpointslices', 'rolling-update').watch_bytes).toBe(200_000);
  });
});
