// The command line as users and other people's tests drive it (SPEC.md): exit codes, bad input,
// result files, determinism, and `size` on real objects.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES_DIR, REPO_DIR } from './paths.js';

const cli = (...args: string[]) => spawnSync('node', [join(REPO_DIR, 'dist/cli/main.js'), ...args], { encoding: 'utf8', cwd: REPO_DIR });
const tmp = () => mkdtempSync(join(tmpdir(), 'slicesim-'));

const small = `name: small
cluster: {nodes: 50}
encoding: protobuf
services: [{name: web, replicas: 30}]
workload:
  - {name: replace, at: 10s, action: replace, service: web, count: 10}
  - {name: grow, at: 1m, action: scale, service: web, replicas: 60}
`;

describe('slicesim run', () => {
  it('writes summary.csv with the SPEC columns, timeseries.csv and run.json, identically for the same seed', () => {
    const dir = tmp();
    const file = join(dir, 'small.yaml');
    writeFileSync(file, small);
    const a = cli('run', file, '--out', join(dir, 'a'), '--quiet');
    const b = cli('run', file, '--out', join(dir, 'b'), '--quiet');
    expect(a.status).toBe(0);
    expect(b.status).toBe(0);
    for (const f of ['summary.csv', 'timeseries.csv', 'latency.csv', 'run.json']) {
      expect(readFileSync(join(dir, 'a', f), 'utf8')).toBe(readFileSync(join(dir, 'b', f), 'utf8'));
    }
    const summary = readFileSync(join(dir, 'a', 'summary.csv'), 'utf8').trim().split('\n');
    // SPEC.md's columns first, in order; more may follow.
    expect(summary[0].startsWith('scenario,model,phase,nodes,endpoints_peak,objects_end,writes,rejected_writes,max_object_bytes,watch_events,watch_bytes,etcd_bytes,')).toBe(true);
    expect(summary[0].split(',').slice(12)).toEqual(['relist_bytes', 'programming_latency_p50_ms', 'programming_latency_p99_ms', 'programming_latency_max_ms', 'etcd_db_peak_bytes', 'etcd_raft_bytes', 'pods_replaced', 'writes_per_replaced_pod', 'bytes_per_replaced_pod', 'quota_rejected_writes', 'etcd_watch_bytes', 'replay_bytes', 'npl_cl2_p50_ms', 'npl_cl2_p90_ms', 'npl_cl2_p99_ms']);
    expect(summary.map((l) => l.split(',').slice(1, 3).join(':')).slice(1)).toEqual([
      'endpoints:initial', 'endpoints:replace', 'endpoints:grow', 'endpoints:all',
      'endpointslices:initial', 'endpointslices:replace', 'endpointslices:grow', 'endpointslices:all',
    ]);
    const c = cli('run', file, '--out', join(dir, 'c'), '--quiet', '--seed', '7');
    expect(c.status).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'c', 'run.json'), 'utf8')).seed).toBe(7);
  });

  it('refuses bad input with exit 2, the file and key path on stderr, and no result files', () => {
    const dir = tmp();
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, small.replace('replicas: 30', 'replicas: -3').replace('count: 10', 'count: 10, maxSurge: 3'));
    const r = cli('run', file, '--out', join(dir, 'out'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${file}: services[0].replicas`);
    expect(r.stderr).toContain('workload[0].maxSurge: unknown key; allowed keys here: name, at, action, service, count, interval');
    expect(existsSync(join(dir, 'out'))).toBe(false);
    expect(cli('run', file, '--no-such-flag').status).toBe(2);
    expect(cli('run', join(dir, 'missing.yaml')).status).toBe(2);
  });

  it('refuses faults aimed at what does not exist', () => {
    const dir = tmp();
    const file = join(dir, 'faults.yaml');
    writeFileSync(file, `${small}  - {name: restart, at: 2m, action: apiserverRestart, instance: 2}\n  - {name: stall, at: 3m, action: watcherStall, nodes: 51, duration: 1m}\n`);
    const r = cli('run', file, '--out', join(dir, 'out'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('workload[2].instance: 2 does not exist; instances are 0..0');
    expect(r.stderr).toContain("workload[3].nodes: 51 is more than the cluster's 50 nodes");
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('applies --set overrides before validation', () => {
    const dir = tmp();
    const file = join(dir, 'small.yaml');
    writeFileSync(file, small);
    const r = cli('run', file, '--out', join(dir, 'o'), '--quiet', '--set', 'cluster.nodes=7', '--models', 'endpointslices');
    expect(r.status).toBe(0);
    const rows = readFileSync(join(dir, 'o', 'summary.csv'), 'utf8').trim().split('\n').slice(1);
    expect(rows.every((l) => l.split(',')[3] === '7' && l.split(',')[1] === 'endpointslices')).toBe(true);
  });
});

describe('slicesim validate', () => {
  it('prints the resolved scenario with defaults', () => {
    const dir = tmp();
    const file = join(dir, 'small.yaml');
    writeFileSync(file, small);
    const r = cli('validate', file);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('maxEndpointsPerSlice: 100');
    expect(r.stdout).toContain('maxRequestBytes: 1572864');
  });
});

describe('slicesim size', () => {
  it('gives the exact sizes of the real fixtures, singly and as a List', () => {
    const pb = readFileSync(join(FIXTURES_DIR, 'core.v1.Endpoints.pb')).length;
    const json = JSON.parse(readFileSync(join(FIXTURES_DIR, 'core.v1.Endpoints.json'), 'utf8'));
    const r = cli('size', join(FIXTURES_DIR, 'core.v1.Endpoints.json'), '--json', '--nodes', '3000');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.objects[0].protobufBytes).toBe(pb);
    expect(out.objects[0].jsonBytes).toBe(Buffer.byteLength(JSON.stringify(json)));
    expect(out.objects[0].endpoints).toBe(2);
    expect(out.fanoutProtobufBytes).toBe(out.objects[0].watchEventProtobufBytes * 3000);
    const dir = tmp();
    const slice = JSON.parse(readFileSync(join(FIXTURES_DIR, 'discovery.k8s.io.v1.EndpointSlice.json'), 'utf8'));
    writeFileSync(join(dir, 'list.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [json, slice] }));
    const l = JSON.parse(cli('size', join(dir, 'list.json'), '--json').stdout);
    expect(l.objects.map((o: { protobufBytes: number }) => o.protobufBytes)).toEqual([pb, readFileSync(join(FIXTURES_DIR, 'discovery.k8s.io.v1.EndpointSlice.pb')).length]);
  });

  it('refuses what is not a Kubernetes object with exit 2', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'x.json'), '{"hello": 1}');
    const r = cli('size', join(dir, 'x.json'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('not a Kubernetes object');
  });
});

describe('slicesim reconcile', () => {
  it('prints the writes of one sync as JSON, for both controllers, from a file or stdin', async () => {
    const { list, pods, service } = await import('./k8s-fixtures.js');
    const dir = tmp();
    const file = join(dir, 'list.json');
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: list(service(), pods(250)) }));
    const r = JSON.parse(cli('reconcile', file, '--max-endpoints-per-slice', '80').stdout);
    expect(r.controller).toBe('endpointslice');
    expect(r.create.map((s: { endpoints: unknown[] }) => s.endpoints.length)).toEqual([80, 80, 80, 10]);
    const viaStdin = spawnSync('node', [join(REPO_DIR, 'dist/cli/main.js'), 'reconcile', '-', '--controller', 'endpoints'], { input: readFileSync(file), encoding: 'utf8' });
    const e = JSON.parse(viaStdin.stdout);
    expect([e.controller, e.create.length, e.create[0].kind]).toEqual(['endpoints', 1, 'Endpoints']);
  });

  it('refuses bad input with exit 2 and the path of what is wrong', async () => {
    const { list, pod, service } = await import('./k8s-fixtures.js');
    const dir = tmp();
    const bad = pod(1);
    (bad.status as { podIPs: unknown }).podIPs = [{ ip: 'not-an-ip' }];
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: list(service(), bad) }));
    const r = cli('reconcile', join(dir, 'bad.json'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('items[1].status.podIPs[0].ip: not an IP address');
    const flag = cli('reconcile', join(dir, 'bad.json'), '--max-endpoints-per-slice', '1001');
    expect([flag.status, flag.stderr.includes('1..1000')]).toEqual([2, true]);
  });
});
