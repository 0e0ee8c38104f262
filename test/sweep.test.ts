// slicesim sweep / merge: the grid's numbering, shards that cover it exactly once, a sharded sweep
// merged equal byte for byte to the unsharded one (whatever the number of threads), and merge refusing
// incomplete or conflicting shards.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_DIR } from './paths.js';
import { parseGrid, pointCount, pointIndex, pointValues, shardPoints } from '../src/sweep/grid.js';

const cli = (...args: string[]) => spawnSync('node', [join(REPO_DIR, 'dist/cli/main.js'), ...args], { encoding: 'utf8', cwd: REPO_DIR });
const tmp = () => mkdtempSync(join(tmpdir(), 'slicesim-sweep-'));

const scenario = `name: tiny-sweep
cluster: {nodes: 40}
apiserver: {egressBandwidth: 1Gbps}
endpointsController: {maxEndpoints: 0}
services: [{name: web, replicas: 20}]
workload:
  - {name: rollout, at: 10s, action: rollingUpdate, service: web}
`;
const GRID = ['--grid', 'cluster.nodes=20,40,80', '--grid', 'services.0.replicas=10,30'];

function files(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

describe('the grid', () => {
  const grid = parseGrid(['a=1,2,3', 'b=x,y']);
  it('numbers points with the first key varying slowest, and back', () => {
    expect(pointCount(grid)).toBe(6);
    expect(Array.from({ length: 6 }, (_, p) => pointValues(grid, p).join(''))).toEqual(['1x', '1y', '2x', '2y', '3x', '3y']);
    for (let p = 0; p < 6; p++) expect(pointIndex(grid, pointValues(grid, p))).toBe(p);
    expect(pointIndex(grid, ['4', 'x'])).toBe(-1);
  });
  it.each([1, 2, 4, 7])('%i shards cover every point exactly once (p mod N = I)', (n) => {
    const seen = Array.from({ length: n }, (_, i) => shardPoints(6, { index: i, count: n })).flat().sort();
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('slicesim sweep and merge', () => {
  const dir = tmp();
  const file = join(dir, 'tiny.yaml');
  writeFileSync(file, scenario);
  const whole = cli('sweep', file, ...GRID, '--jobs', '2', '--out', join(dir, 'whole'), '--quiet');
  const shards = [0, 1, 2].map((i) => cli('sweep', file, ...GRID, '--shard', `${i}/3`, '--jobs', '1', '--out', join(dir, `shard-${i}`), '--quiet'));

  it('writes one row per point and model: the grid keys, then the summary columns of phase all', () => {
    expect(whole.stderr).toBe('');
    expect(whole.status).toBe(0);
    const lines = readFileSync(join(dir, 'whole', 'sweep.csv'), 'utf8').trim().split('\n');
    expect(lines[0].startsWith('cluster.nodes,services.0.replicas,scenario,model,phase,nodes,endpoints_peak,')).toBe(true);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 5).join(' '))).toEqual(
      ['20 10', '20 30', '40 10', '40 30', '80 10', '80 30'].flatMap((p) => [`${p} tiny-sweep endpoints all`, `${p} tiny-sweep endpointslices all`]),
    );
    // the grid value reached the scenario: the nodes column follows cluster.nodes
    expect(lines.slice(1).map((l) => l.split(',')[5])).toEqual(['20', '20', '20', '20', '40', '40', '40', '40', '80', '80', '80', '80']);
    expect(Object.keys(files(join(dir, 'whole')))).toEqual(['report.html', 'run.json', 'sweep.csv']);
  });

  it('three shards on one thread each, merged, equal the unsharded sweep on two threads byte for byte', () => {
    for (const s of shards) expect(s.status, s.stderr).toBe(0);
    const merged = cli('merge', join(dir, 'shard-2'), join(dir, 'shard-0'), join(dir, 'shard-1'), '--out', join(dir, 'merged'), '--quiet');
    expect(merged.status, merged.stderr).toBe(0);
    expect(files(join(dir, 'merged'))).toEqual(files(join(dir, 'whole')));
    // a shard holds only its points
    expect(readFileSync(join(dir, 'shard-1', 'sweep.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').slice(0, 2).join(' '))).toEqual(['20 30', '20 30', '80 10', '80 10']);
  });

  it('a point present twice must be identical: an identical copy merges, a changed one is refused', () => {
    const again = cli('merge', join(dir, 'shard-0'), join(dir, 'shard-1'), join(dir, 'shard-2'), join(dir, 'whole'), '--out', join(dir, 'merged-dup'), '--quiet');
    expect(again.status, again.stderr).toBe(0);
    cpSync(join(dir, 'shard-1'), join(dir, 'shard-1-changed'), { recursive: true });
    const csv = join(dir, 'shard-1-changed', 'sweep.csv');
    const lines = readFileSync(csv, 'utf8').split('\n');
    const cells = lines[1].split(',');
    cells[8] = String(Number(cells[8]) + 1); // writes
    lines[1] = cells.join(',');
    writeFileSync(csv, lines.join('\n'));
    const r = cli('merge', join(dir, 'shard-0'), join(dir, 'shard-1'), join(dir, 'shard-2'), join(dir, 'shard-1-changed'), '--out', join(dir, 'merged-bad'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/point 1 \(cluster.nodes=20, services.0.replicas=30\), model endpoints: .* disagree in writes/);
    expect(existsSync(join(dir, 'merged-bad'))).toBe(false);
  });

  it('a missing point is an error naming it, and nothing is written', () => {
    const r = cli('merge', join(dir, 'shard-0'), join(dir, 'shard-2'), '--out', join(dir, 'merged-missing'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('2 points are in none of the folders: 1 (cluster.nodes=20, services.0.replicas=30); 4 (cluster.nodes=80, services.0.replicas=10)');
    expect(existsSync(join(dir, 'merged-missing'))).toBe(false);
  });

  it('shards of different sweeps are not merged', () => {
    const other = cli('sweep', file, ...GRID, '--seed', '7', '--shard', '1/3', '--jobs', '1', '--out', join(dir, 'other-1'), '--quiet');
    expect(other.status, other.stderr).toBe(0);
    const r = cli('merge', join(dir, 'shard-0'), join(dir, 'other-1'), join(dir, 'shard-2'), '--out', join(dir, 'merged-mixed'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('not a shard of the same sweep');
    expect(r.stderr).toContain('seed');
  });

  it.each([
    [['--grid', 'cluster.nodes=10,,20'], '--grid cluster.nodes=10,,20: an empty value'],
    [['--grid', 'cluster.nodes=10,10'], 'the value 10 is given twice'],
    [['--grid', 'cluster.nodes=10', '--grid', 'cluster.nodes=20'], 'the key is given twice'],
    [['--grid', 'cluster.nodes=10', '--shard', '3/3'], '--shard 3/3: expected I/N with 0 <= I < N'],
    [['--grid', 'cluster.nodes=10', '--jobs', '0'], '--jobs: expected a whole number ≥ 1, got "0"'],
    [['--grid', 'cluster.nodes=10,ten'], 'grid point 1 (cluster.nodes=ten)'],
  ])('bad input %j exits 2 before simulating and writes nothing', (args, message) => {
    const out = join(dir, `bad-${Math.random().toString(36).slice(2)}`);
    const r = cli('sweep', file, ...args, '--out', out);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(existsSync(out)).toBe(false);
  });
});
