// Models simulated side by side on worker threads (src/threads/run-models.ts) give the very bytes of
// one model after the other: the worker's run crosses the thread boundary by structured cloning and
// gets its classes back; its failures keep their exit codes.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { REPO_DIR } from './paths.js';
import { modelThreads, rebuildError } from '../src/threads/run-models.js';
import { estimateMemory, LimitError } from '../src/scenario/limits.js';
import { loadScenario } from '../src/scenario/load.js';

const cli = (...args: string[]) => spawnSync('node', [join(REPO_DIR, 'dist/cli/main.js'), ...args], { encoding: 'utf8', cwd: REPO_DIR });
const files = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

describe('models side by side', () => {
  it('writes the same result files as one model after the other (traffic, trace, latency, hints)', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'slicesim-threads-'));
    const one = cli('run', 'scenarios/topology-capacity-change.yaml', '--quiet', '--trace', '--jobs', '1', '--out', join(tmp, 'one'));
    const two = cli('run', 'scenarios/topology-capacity-change.yaml', '--quiet', '--trace', '--jobs', '2', '--out', join(tmp, 'two'));
    expect(one.status, one.stderr).toBe(0);
    expect(two.status, two.stderr).toBe(0);
    const a = files(join(tmp, 'one'));
    expect(Object.keys(a)).toEqual(expect.arrayContaining(['trace.csv', 'topology.csv', 'latency.csv', 'report.html']));
    expect(files(join(tmp, 'two'))).toEqual(a);
  });

  it("fails the run with the worker's error when the worker's model fails, after this thread's model", async () => {
    const { simulateModels } = (await import(join(REPO_DIR, 'dist/threads/run-models.js'))) as typeof import('../src/threads/run-models.js');
    const { loadScenario } = (await import(join(REPO_DIR, 'dist/scenario/load.js'))) as typeof import('../src/scenario/load.js');
    const scenario = loadScenario(join(REPO_DIR, 'scenarios/blog-5000x3000.yaml'), ['services.example.replicas=10', 'workload.replace.count=10']);
    // The worker resolves the scenario again from its source: a broken source fails there only.
    const broken = { ...scenario, source: { ...scenario.source, services: null } } as unknown as typeof scenario;
    await expect(simulateModels(broken, 2, {})).rejects.toThrow(TypeError);
    expect((await simulateModels(scenario, 2, {})).map((r) => r.model)).toEqual(['endpoints', 'endpointslices']);
  });

  it('gives a limit passed in a worker its class back, so the command line reports it as one line and exit 1', () => {
    const e = rebuildError({ ok: false, name: 'LimitError', message: 'sampleEvery: the run passed 10,000,000 samples' });
    expect(e).toBeInstanceOf(LimitError);
    expect(rebuildError({ ok: false, name: 'RangeError', message: 'Invalid array length' })).toBeInstanceOf(RangeError);
    expect(rebuildError({ ok: false, name: 'TypeError', message: 'x' }).name).toBe('TypeError');
  });

  it('refuses --jobs when the models side by side would not fit in this machine, before writing anything (exit 2)', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'slicesim-threads-'));
    // A rollout sized so that one model fits in this machine (60% of the usable 80%) and two do not.
    const perPod = estimateMemory(loadScenario('bench/scale-1m.yaml', []).source) / 1e6;
    const replicas = Math.round((0.6 * 0.8 * totalmem()) / perPod);
    const sets = ['--set', `services.huge.replicas=${replicas}`, '--set', `cluster.nodes=${Math.ceil(replicas / 100)}`];
    const r = cli('run', 'bench/scale-1m.yaml', '--quiet', '--jobs', '2', ...sets, '--out', join(tmp, 'x'));
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/--jobs 2: .*scale-1m.yaml would need about [\d.]+ GB with 2 models side by side/);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('runs one model at a time unless --jobs asks for more, and never more threads than models', () => {
    expect(modelThreads(2)).toBe(1);
    expect(modelThreads(2, 2)).toBe(2);
    expect(modelThreads(2, 8)).toBe(2);
    expect(modelThreads(1, 8)).toBe(1);
  });
});
