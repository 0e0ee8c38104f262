// Models simulated side by side on worker threads (src/threads/run-models.ts) give the very bytes of
// one model after the other: the worker's run crosses the thread boundary by structured cloning and
// gets its classes back; its failures keep their exit codes.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_DIR } from './paths.js';
import { modelThreads, rebuildError, SIDE_BY_SIDE_MAX_BYTES } from '../src/threads/run-models.js';
import { LimitError } from '../src/scenario/limits.js';

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

  it('runs small scenarios side by side and big ones one model at a time, unless --jobs says', () => {
    expect(modelThreads(2, 40 * 2 ** 20)).toBe(Math.min(2, availableParallelism()));
    expect(modelThreads(2, SIDE_BY_SIDE_MAX_BYTES)).toBe(1);
    expect(modelThreads(1, 1)).toBe(1);
    expect(modelThreads(2, SIDE_BY_SIDE_MAX_BYTES, 2)).toBe(2);
    expect(modelThreads(2, 1, 1)).toBe(1);
    expect(modelThreads(2, 1, 8)).toBe(2);
  });
});
