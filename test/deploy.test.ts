// deploy/: the Indexed Job that runs a sweep's shards and the Job that merges them. No container
// engine or cluster here, so the manifests are checked field by field, and the exact arguments each
// pod would run are run through the CLI (as a dry run: every point checked, none simulated).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_DIR } from './paths.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const docs = (file: string): Obj[] => parseAllDocuments(readFileSync(join(REPO_DIR, 'deploy', file), 'utf8')).map((d) => {
  expect(d.errors).toEqual([]);
  return d.toJS() as Obj;
});
const sweepDocs = docs('sweep-job.yaml');
const job = sweepDocs.find((d) => d.kind === 'Job')!;
const merge = docs('merge-job.yaml').find((d) => d.kind === 'Job')!;
const container = job.spec.template.spec.containers[0];
const n: number = job.spec.completions;
const cli = (args: string[]) => spawnSync('node', [join(REPO_DIR, 'dist/cli/main.js'), ...args], { encoding: 'utf8', cwd: REPO_DIR });
const withIndex = (args: string[], i: number) => args.map((a) => a.replaceAll('$(JOB_COMPLETION_INDEX)', String(i)));

describe('the sweep Job', () => {
  it('is a batch/v1 Job with completionMode Indexed, restartPolicy Never, a shared volume', () => {
    expect(job.apiVersion).toBe('batch/v1');
    expect(job.spec.completionMode).toBe('Indexed');
    expect(Number.isInteger(n) && n > 1).toBe(true);
    expect(job.spec.parallelism).toBeLessThanOrEqual(n);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    const claim = job.spec.template.spec.volumes[0].persistentVolumeClaim.claimName;
    const pvc = sweepDocs.find((d) => d.kind === 'PersistentVolumeClaim')!;
    expect(pvc.metadata.name).toBe(claim);
    expect(pvc.spec.accessModes).toEqual(['ReadWriteMany']);
    expect(container.volumeMounts[0].mountPath).toBe('/results');
  });

  it('gives pod I the shard I/N from JOB_COMPLETION_INDEX, with N = completions', () => {
    const args: string[] = container.args;
    expect(args[0]).toBe('sweep');
    expect(args[args.indexOf('--shard') + 1]).toBe(`$(JOB_COMPLETION_INDEX)/${n}`);
    expect(args[args.indexOf('--out') + 1]).toContain('$(JOB_COMPLETION_INDEX)');
  });

  it('each pod\'s arguments are valid, and the N pods cover every point of the grid once', () => {
    const seen: number[] = [];
    for (let i = 0; i < n; i++) {
      const r = cli([...withIndex(container.args, i).map((a) => a.replace(/^\/results\//, '/tmp/slicesim-deploy-test/')), '--dry-run']);
      expect(r.status, r.stderr).toBe(0);
      seen.push(...r.stdout.trim().split('\n').slice(0, -1).map((l) => Number(l.split('\t')[0])));
    }
    const total = container.args.filter((_: string, k: number, a: string[]) => a[k - 1] === '--grid').reduce((t: number, g: string) => t * g.split('=')[1].split(',').length, 1);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, p) => p));
  });

  it('sweeps the grid of the committed sweep it reproduces', () => {
    const args: string[] = container.args;
    const out = args[args.indexOf('--out') + 1].replace(/^\/results\//, '').replace(/-shard-\$\(JOB_COMPLETION_INDEX\)$/, '');
    const committed = JSON.parse(readFileSync(join(REPO_DIR, 'results', 'sweeps', out, 'run.json'), 'utf8'));
    expect(committed.file).toBe(args[1]);
    const grids = args.filter((_, k) => args[k - 1] === '--grid');
    expect(grids).toEqual(committed.grid.map((g: { key: string; values: string[] }) => `${g.key}=${g.values.join(',')}`));
  });
});

describe('the merge Job', () => {
  it('is a batch/v1 Job merging exactly the N shard folders into one', () => {
    expect(merge.apiVersion).toBe('batch/v1');
    const args: string[] = merge.spec.template.spec.containers[0].args;
    expect(args[0]).toBe('merge');
    const shardOut = container.args[container.args.indexOf('--out') + 1];
    expect(args.slice(1, args.indexOf('--out'))).toEqual(Array.from({ length: n }, (_, i) => shardOut.replace('$(JOB_COMPLETION_INDEX)', String(i))));
    expect(merge.spec.template.spec.volumes).toEqual(job.spec.template.spec.volumes);
  });
});

describe('the Dockerfile', () => {
  const text = readFileSync(join(REPO_DIR, 'Dockerfile'), 'utf8');
  it('builds on Node 20, ships dist/ and scenarios/, and runs slicesim as the Jobs expect', () => {
    expect(text).toMatch(/^FROM node:20/m);
    expect(text).toMatch(/^COPY scenarios \.\/scenarios$/m);
    expect(text).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
    expect(text).toMatch(/^ENTRYPOINT \["slicesim"\]$/m);
    expect(text).toMatch(/ln -s \/app\/dist\/cli\/main.js \/usr\/local\/bin\/slicesim/);
    expect(container.image).toBe(merge.spec.template.spec.containers[0].image);
    expect(text).toContain(`-t ${container.image}`);
  });
});
