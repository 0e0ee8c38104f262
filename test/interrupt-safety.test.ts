// Interrupted runs and write errors leave nothing behind (SPEC.md "Safety of the command line":
// slicesim writes only inside --out, never deletes what it did not write, replaces atomically).
// Real processes, real signals: a long run is interrupted mid-simulation; a run killed while writing
// leaves a work folder that the next run proves stale and removes; writes that fail (a real EFBIG from
// the file-size limit, injected ENOSPC/EDQUOT/EROFS/EACCES/EIO) leave the previous result whole.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_DIR } from './paths.js';
import { NODE_IO, ResultDir } from '../src/cli/out-dir.js';
import { WriteError } from '../src/cli/errors.js';
import { OWNER_FILE } from '../src/cli/owner.js';
import { treeHash } from './tree-hash.js';

const MAIN = join(REPO_DIR, 'dist/cli/main.js');
const TINY = 'name: tiny\ncluster: {nodes: 3}\nservices: [{name: web, replicas: 4}]\nworkload: [{name: swap, at: 1s, action: replace, service: web, count: 2}]\n';
// The blog's scenario eight times larger: seconds of CPU in the simulation loop, so a signal sent
// once the process has used 2 s of CPU (loading takes a fraction of that) lands mid-simulation.
const LONG = [join(REPO_DIR, 'scenarios/blog-5000x3000.yaml'), '--set', 'services.0.replicas=40000', '--set', 'workload.0.count=40000'];


/** A scratch folder holding the tiny scenario, a previous result in res/, and unrelated dot-folders. */
function scratchWithResult(): string {
  const root = mkdtempSync(join(tmpdir(), 'slicesim-int-'));
  writeFileSync(join(root, 'tiny.yaml'), TINY);
  const first = spawnSync('node', [MAIN, 'run', 'tiny.yaml', '--out', 'res', '--quiet'], { cwd: root, encoding: 'utf8' });
  expect(first.status, first.stderr).toBe(0);
  mkdirSync(join(root, '.hidden'));
  writeFileSync(join(root, '.hidden', 'mine.txt'), 'not slicesim\n');
  return root;
}

/** CPU seconds process `pid` has used (utime + stime from /proc, in clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return -1;
  }
}

/** Runs the long scenario into res/, sends `signal` once it is simulating, and returns how it ended. */
async function interruptMidSimulation(root: string, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; simulating: boolean; stderr: string }> {
  const child = spawn('node', [MAIN, 'run', ...LONG, '--out', 'res', '--quiet'], { cwd: root });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const ended = new Promise<[number | null, NodeJS.Signals | null]>((done) => child.on('exit', (c, s) => done([c, s])));
  let exited = false;
  void ended.then(() => (exited = true));
  while (!exited && cpuSeconds(child.pid!) < 2) await new Promise((r) => setTimeout(r, 50));
  const simulating = !exited;
  child.kill(signal);
  const [code, sig] = await ended;
  return { code, signal: sig, simulating, stderr };
}

describe('a run interrupted while simulating leaves nothing behind', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGKILL', 137],
  ] as const)('%s mid-simulation: ends as the shell reports %i, the parent folder unchanged, the previous result intact', async (signal, shellCode) => {
    const root = scratchWithResult();
    const before = treeHash(root);
    const r = await interruptMidSimulation(root, signal);
    expect(r.simulating, 'the signal was sent while the run was still simulating').toBe(true);
    // Ended by the signal itself (or, when the run restarted itself with a larger heap, by the code a shell gives it).
    expect(r.signal === signal || r.code === shellCode, `ended with code ${r.code} signal ${r.signal}: ${r.stderr}`).toBe(true);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(treeHash(root)).toBe(before);
  });
});

describe('a run that restarted itself with a larger heap passes a signal on to its child', () => {
  it('SIGTERM to the parent alone while the child simulates: the child ends too, the parent exits 143, nothing left', async () => {
    const root = scratchWithResult();
    const before = treeHash(root);
    // A small default heap makes the long scenario's memory estimate call for the restart (heap.ts).
    const parent = spawn('node', [MAIN, 'run', ...LONG, '--out', 'res', '--quiet'], { cwd: root, env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=300' } });
    const ended = new Promise<[number | null, NodeJS.Signals | null]>((done) => parent.on('exit', (c, s) => done([c, s])));
    const children = () => {
      try {
        return readFileSync(`/proc/${parent.pid}/task/${parent.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
      } catch {
        return [];
      }
    };
    let child: number | undefined;
    for (let k = 0; k < 600 && (child === undefined || cpuSeconds(child) < 2); k++) {
      child ??= children()[0];
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(child, 'the run restarted itself in a child').toBeDefined();
    expect(cpuSeconds(child!), 'the child is simulating').toBeGreaterThanOrEqual(2);
    parent.kill('SIGTERM');
    const [code] = await ended;
    expect(code).toBe(143);
    expect(existsSync(`/proc/${child}`), 'the child is gone').toBe(false);
    expect(treeHash(root)).toBe(before);
  });
});

/** A node script run in its own process: `body` sees ResultDir, NODE_IO and out (an absolute --out). */
function script(root: string, body: string): { status: number | null; signal: NodeJS.Signals | null; stderr: string } {
  const code = `import { ResultDir, NODE_IO } from ${JSON.stringify(join(REPO_DIR, 'dist/cli/out-dir.js'))};
const out = ${JSON.stringify(join(root, 'res'))};
const files = { 'run.json': JSON.stringify({ program: 'slicesim', from: 'script' }) + '\\n', 'summary.csv': 'a\\n1\\n', 'timeseries.csv': 'b\\n2\\n' };
${body}`;
  const r = spawnSync('node', ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
  return { status: r.status, signal: r.signal, stderr: r.stderr };
}

describe('Ctrl-C while the results are written is held back until the folder is whole', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s during the write: the new result is swapped in whole, then the run exits %i, no work folder left', (signal, code) => {
    const root = scratchWithResult();
    const r = script(root, `let n = 0;
const io = { writeFile(p, t) { NODE_IO.writeFile(p, t); if (++n === 2) process.kill(process.pid, '${signal}'); } };
await ResultDir.prepare(out, '--out', [], io).save(files);
console.error('not reached: the signal ends the process once the folder is written');`);
    expect(r.status, r.stderr).toBe(code);
    expect(r.stderr).toContain(`stopped by ${signal}`);
    expect(r.stderr).not.toContain('not reached');
    expect(JSON.parse(readFileSync(join(root, 'res', 'run.json'), 'utf8')).from).toBe('script');
    expect(readdirSync(join(root, 'res')).sort()).toEqual(['run.json', 'summary.csv', 'timeseries.csv']);
    expect(readdirSync(root).sort()).toEqual(['.hidden', 'res', 'tiny.yaml']);
  });
});

describe('a run killed while writing: the next run removes its work folder, and only that', () => {
  /** What a SIGKILL in the middle of writing leaves: the work folder with its owner marker and part of the files. */
  function killedWhileWriting(root: string): string {
    const r = script(root, `let n = 0;
const io = { writeFile(p, t) { NODE_IO.writeFile(p, t); if (++n === 3) process.kill(process.pid, 'SIGKILL'); } };
await ResultDir.prepare(out, '--out', [], io).save(files);`);
    expect(r.signal).toBe('SIGKILL');
    const work = readdirSync(root).filter((f) => /^\.res\.slicesim-[A-Za-z0-9]{6}$/.test(f));
    expect(work).toHaveLength(1);
    expect(readdirSync(join(root, work[0])).sort()).toEqual([OWNER_FILE, 'new']);
    return join(root, work[0]);
  }

  /** Folders named like a work folder that a new run must leave alone, each with why. */
  function decoys(root: string): string[] {
    const marker = (pid: number, target = join(root, 'res'), host = hostname()) => `${JSON.stringify({ program: 'slicesim', pid, host, target })}\n`;
    const dead = spawnSync('node', ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    const make = (name: string, files: Record<string, string>) => {
      mkdirSync(join(root, name, 'new'), { recursive: true });
      for (const [f, text] of Object.entries(files)) writeFileSync(join(root, name, f), text);
      return name;
    };
    return [
      make('.res.slicesim-nomark', { 'new/run.json': '{}' }), // no owner marker
      make('.res.slicesim-alive1', { [OWNER_FILE]: marker(process.pid) }), // its process is running (this test)
      make('.res.slicesim-other1', { [OWNER_FILE]: marker(deadPid, join(root, 'elsewhere')) }), // another target
      make('.res.slicesim-host01', { [OWNER_FILE]: marker(deadPid, join(root, 'res'), 'another-host') }), // another host
      make('.res.slicesim-extra1', { [OWNER_FILE]: marker(deadPid), 'new/notes.txt': 'mine\n' }), // a file slicesim does not write
      make('.res.slicesim-toolong', { [OWNER_FILE]: marker(deadPid) }), // not mkdtemp's six characters
      make('.res.slicesim-stray1', { [OWNER_FILE]: marker(deadPid), 'stray.txt': 'x' }), // something beside new/ and old/
    ];
  }

  it('removes the stale work folder of the dead run; leaves decoys, the .hidden folder and the previous result alone', () => {
    const root = scratchWithResult();
    const stale = killedWhileWriting(root);
    const kept = decoys(root);
    const keptHashes = kept.map((d) => treeHash(join(root, d)));
    const hidden = treeHash(join(root, '.hidden'));
    const r = spawnSync('node', [MAIN, 'run', 'tiny.yaml', '--out', 'res', '--quiet', '--seed', '7'], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(stale)).toBe(false);
    expect(kept.map((d) => treeHash(join(root, d)))).toEqual(keptHashes);
    expect(treeHash(join(root, '.hidden'))).toBe(hidden);
    expect(readdirSync(root).sort()).toEqual(['.hidden', ...kept, 'res', 'tiny.yaml'].sort());
    expect(JSON.parse(readFileSync(join(root, 'res', 'run.json'), 'utf8')).seed).toBe(7);
    // Each kept folder that looks like ours is named, with why (a live process is not worth a note).
    for (const d of kept.filter((k) => !['.res.slicesim-alive1', '.res.slicesim-toolong'].includes(k))) expect(r.stderr).toContain(join(root, d));
    expect(r.stderr).not.toContain('alive1');
  });

  it('a kill between the two renames of the swap: the next run puts the previous result back before writing', () => {
    const root = scratchWithResult();
    const previous = treeHash(join(root, 'res'));
    const stale = killedWhileWriting(root);
    // The state the first rename of the swap leaves: the previous result moved into the work folder's old/.
    spawnSync('mv', [join(root, 'res'), join(stale, 'old')]);
    // A run into another folder leaves this stale folder alone (it belongs to res/) ...
    expect(spawnSync('node', [MAIN, 'run', 'tiny.yaml', '--out', 'other', '--quiet'], { cwd: root }).status).toBe(0);
    expect(existsSync(stale)).toBe(true);
    // ... a run into res/ restores the previous result, then replaces it as usual; a run that fails to
    // write (file-size limit) still leaves the restored previous result in place.
    const failed = spawnSync('sh', ['-c', `trap '' XFSZ; ulimit -f 1; exec node ${MAIN} run tiny.yaml --out res --quiet`], { cwd: root, encoding: 'utf8' });
    expect(failed.status, failed.stderr).toBe(1);
    expect(existsSync(stale)).toBe(false);
    expect(treeHash(join(root, 'res'))).toBe(previous);
  });
});

describe('a write error after simulating: one line, exit 1, the previous result intact, nothing left', () => {
  it('a real EFBIG (file-size limit) through the CLI', () => {
    const root = scratchWithResult();
    const before = treeHash(root);
    // SIGXFSZ ignored, so the write fails with EFBIG instead of killing the process.
    const r = spawnSync('sh', ['-c', `trap '' XFSZ; ulimit -f 1; exec node ${MAIN} run tiny.yaml --out res --quiet --seed 3`], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^slicesim: cannot write ${resolve(root, 'res')}/[a-z.]+: EFBIG: file too large; the previous results are unchanged$`));
    expect(treeHash(root)).toBe(before);
  });

  it.each(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EIO'])('%s injected at the third file: WriteError naming the file, the previous result untouched', (code) => {
    const root = scratchWithResult();
    const before = treeHash(root);
    let n = 0;
    const io = {
      writeFile(path: string, text: string) {
        if (++n === 3) throw Object.assign(new Error(`${code}: injected, write`), { code });
        NODE_IO.writeFile(path, text);
      },
    };
    const target = ResultDir.prepare(join(root, 'res'), '--out', [], io);
    let error: unknown;
    try {
      target.writeAndSwap({ 'run.json': '{"program":"slicesim"}\n', 'summary.csv': 'x\n', 'timeseries.csv': 'y\n' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WriteError);
    expect((error as Error).message).toBe(`cannot write ${join(root, 'res', 'summary.csv')}: ${code}: injected; the previous results are unchanged`);
    expect(treeHash(root)).toBe(before);
  });

  it('into a new folder: the parents it created are removed again, nothing was written', () => {
    const root = mkdtempSync(join(tmpdir(), 'slicesim-int-'));
    const io = { writeFile: () => { throw Object.assign(new Error('ENOSPC: injected, write'), { code: 'ENOSPC' }); } };
    expect(() => ResultDir.prepare(join(root, 'a', 'b', 'res'), '--out', [], io).writeAndSwap({ 'run.json': '{}' })).toThrow(/ENOSPC: injected; nothing was written$/);
    expect(readdirSync(root)).toEqual([]);
  });
});

describe('slicesim report replaces its two files whole, and only those', () => {
  it('rebuilds report.html and perfdata.json through a work folder: no work folder left, other files untouched', () => {
    const root = scratchWithResult();
    writeFileSync(join(root, 'res', 'report.html'), 'stale\n');
    const r = spawnSync('node', [MAIN, 'report', 'res', '--quiet'], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(root, 'res', 'report.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/i);
    expect(readdirSync(root).sort()).toEqual(['.hidden', 'res', 'tiny.yaml']);
  });

  it('a write error (real EFBIG) leaves report.html as it was, exit 1, one line, no work folder', () => {
    const root = scratchWithResult();
    const before = treeHash(root);
    const r = spawnSync('sh', ['-c', `trap '' XFSZ; ulimit -f 1; exec node ${MAIN} report res --quiet`], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^slicesim: cannot write \S+\/res\/report\.html: EFBIG: file too large; the folder is unchanged\n$/);
    expect(treeHash(root)).toBe(before);
  });
});
