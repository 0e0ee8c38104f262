// `--out` safety (SPEC.md "Safety of the command line"): slicesim writes only inside the --out folder,
// replaces a folder only when it holds a previous slicesim result and nothing else, and swaps it in
// whole. Each case hashes the whole scratch tree before and after to prove nothing else changed.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_DIR } from './paths.js';
import { KNOWN_RESULT_FILES } from '../src/cli/out-dir.js';
import { resultFiles } from '../src/cli/run.js';
import { resolveScenario } from '../src/scenario/load.js';
import { simulateModel } from '../src/simulation.js';
import { treeHash } from './tree-hash.js';

const cli = (cwd: string, ...args: string[]) => spawnSync('node', [join(REPO_DIR, 'dist/cli/main.js'), ...args], { encoding: 'utf8', cwd });

const SCENARIO = 'name: tiny\ncluster: {nodes: 3}\nservices: [{name: web, replicas: 4}]\nworkload: [{name: swap, at: 1s, action: replace, service: web, count: 2}]\n';

/** A scratch folder: the scenario, unrelated files, a nested folder. */
function scratch(): string {
  const root = mkdtempSync(join(tmpdir(), 'slicesim-out-'));
  writeFileSync(join(root, 'tiny.yaml'), SCENARIO);
  mkdirSync(join(root, 'mydata'));
  writeFileSync(join(root, 'mydata', 'notes.txt'), 'keep me\n');
  writeFileSync(join(root, 'mydata', 'summary.csv'), 'mine,not slicesim\n');
  writeFileSync(join(root, 'afile'), 'a plain file\n');
  mkdirSync(join(root, 'work'));
  return root;
}


function refusedUntouched(root: string, cwd: string, out: string, expectText: string): void {
  const before = treeHash(root);
  const r = cli(cwd, 'run', join(root, 'tiny.yaml'), '--out', out, '--quiet');
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr).toContain(expectText);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(treeHash(root)).toBe(before);
}

describe('--out never deletes what slicesim did not write', () => {
  it('a folder holding unrelated files is refused, untouched', () => {
    const root = scratch();
    refusedUntouched(root, root, 'mydata', 'not a slicesim result');
  });

  it('.. (the parent folder, holding the scenario) is refused, untouched', () => {
    const root = scratch();
    refusedUntouched(root, join(root, 'work'), '..', 'not a slicesim result');
    refusedUntouched(root, root, '.', 'not a slicesim result');
  });

  it('a file path is refused and the file stays a file', () => {
    const root = scratch();
    refusedUntouched(root, root, 'afile', 'is not a folder');
  });

  it('an unwritable location (below a file; a read-only folder when not root) is refused before simulating', () => {
    const root = scratch();
    refusedUntouched(root, root, 'afile/results', 'is a file, not a folder');
    // root writes through any mode bits, so the read-only folder only fails for other users.
    if (process.geteuid?.() !== 0) {
      mkdirSync(join(root, 'ro'));
      chmodSync(join(root, 'ro'), 0o555);
      refusedUntouched(root, root, 'ro/out', 'cannot write there');
      chmodSync(join(root, 'ro'), 0o755);
    }
  });

  it('a symbolic link is refused, whatever it points to, and neither it nor its target changes', () => {
    const root = scratch();
    symlinkSync(join(root, 'mydata'), join(root, 'link'));
    refusedUntouched(root, root, 'link', 'symbolic link');
  });

  it('a previous result is replaced whole; one with a stranger file in it is refused', () => {
    const root = scratch();
    const first = cli(root, 'run', 'tiny.yaml', '--out', 'res', '--quiet');
    expect(first.status, first.stderr).toBe(0);
    const before = treeHash(join(root, 'res'));
    const second = cli(root, 'run', 'tiny.yaml', '--out', 'res', '--quiet', '--seed', '9');
    expect(second.status, second.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(root, 'res', 'run.json'), 'utf8')).seed).toBe(9);
    expect(treeHash(join(root, 'res'))).not.toBe(before);
    // No temporary or old folders left beside it.
    expect(readdirSync(root).sort()).toEqual(['afile', 'mydata', 'res', 'tiny.yaml', 'work']);
    writeFileSync(join(root, 'res', 'my-analysis.txt'), 'mine\n');
    refusedUntouched(root, root, 'res', 'my-analysis.txt');
  });

  it('missing parent folders are created; an empty folder is used', () => {
    const root = scratch();
    expect(cli(root, 'run', 'tiny.yaml', '--out', 'a/b/c', '--quiet').status).toBe(0);
    expect(existsSync(join(root, 'a/b/c/summary.csv'))).toBe(true);
    expect(cli(root, 'run', 'tiny.yaml', '--out', 'work', '--quiet').status).toBe(0);
    expect(existsSync(join(root, 'work/run.json'))).toBe(true);
  });

  it('bad input writes nothing, not even parent folders', () => {
    const root = scratch();
    writeFileSync(join(root, 'bad.yaml'), SCENARIO.replace('replicas: 4', 'replicas: -4'));
    const before = treeHash(root);
    expect(cli(root, 'run', 'bad.yaml', '--out', 'x/y').status).toBe(2);
    expect(cli(root, 'run', 'bad.yaml').status).toBe(2);
    expect(treeHash(root)).toBe(before);
  });

  it('two files naming the same scenario are refused before either runs', () => {
    const root = scratch();
    writeFileSync(join(root, 'tiny2.yaml'), SCENARIO);
    const before = treeHash(root);
    const r = cli(root, 'run', 'tiny.yaml', 'tiny2.yaml', '--out', 'both');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('both name scenario "tiny"');
    expect(treeHash(root)).toBe(before);
  });
});

describe('runs that are not the scenario as written go to their own folder', () => {
  it('--set without --out leaves results/<name>/ alone and says where it wrote', () => {
    const root = scratch();
    expect(cli(root, 'run', 'tiny.yaml', '--quiet').status).toBe(0);
    const committed = treeHash(join(root, 'results', 'tiny'));
    const r = cli(root, 'run', 'tiny.yaml', '--set', 'services.web.replicas=6');
    expect(r.status, r.stderr).toBe(0);
    const folders = readdirSync(join(root, 'results')).sort();
    expect(folders).toHaveLength(2);
    const other = folders.find((f) => f !== 'tiny')!;
    expect(other).toMatch(/^tiny-[0-9a-f]{8}$/);
    expect(r.stdout).toContain(join('results', other));
    expect(treeHash(join(root, 'results', 'tiny'))).toBe(committed);
    // The same overrides land in the same folder; other overrides elsewhere.
    expect(cli(root, 'run', 'tiny.yaml', '--set', 'services.web.replicas=6', '--quiet').status).toBe(0);
    expect(cli(root, 'run', 'tiny.yaml', '--seed', '3', '--quiet').status).toBe(0);
    expect(readdirSync(join(root, 'results'))).toHaveLength(3);
    const rows = readFileSync(join(root, 'results', other, 'summary.csv'), 'utf8');
    expect(rows.split('\n')[1].split(',')[4]).toBe('6'); // endpoints_peak of the initial phase
  });
});

describe('result file names', () => {
  it('every file a run writes is one the folder check knows as a slicesim result', () => {
    const s = resolveScenario({ name: 'x', cluster: { nodes: 1 }, services: [{ name: 'a' }] }, 'x');
    const names = Object.keys(resultFiles(s, 1, [simulateModel(s, 'endpointslices')]));
    expect(names.filter((n) => !KNOWN_RESULT_FILES.has(n))).toEqual([]);
  });
});
