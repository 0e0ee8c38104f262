// The etcd model against a real etcd (Debian's etcd-server, installed by .ci/run when missing),
// started on loopback: the request-size limit falls within one byte of where the model says, for
// creates and updates (etcd's request ID is an 8- to 10-byte varint depending on the member's ID and
// the clock, which the model takes as 9); the quota alarm falls within 15% of the model's count of
// puts (etcd checks its file size as of the last backend commit, so how many puts slip in depends on
// timing, and pages are not bytes); the alarm refuses every put until a
// compaction, a defragmentation and a disarm.
import { describe, expect, it, afterAll } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EtcdStore, etcdPutRequestBytes, ETCD_NO_SPACE, ETCD_REQUEST_TOO_LARGE } from '../src/apiserver/etcd.js';

const haveEtcd = spawnSync('etcd', ['--version']).status === 0;
// .ci/run installs etcd and sets this: there the test must run, not skip.
const required = process.env.SLICESIM_REQUIRE_ETCD === '1';
const started: { proc: ChildProcess; dir: string }[] = [];

afterAll(() => {
  for (const { proc, dir } of started) {
    proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function startEtcd(maxRequestBytes: number, quotaBackendBytes: number): Promise<string> {
  const [client, peer] = [await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'slicesim-etcd-'));
  const url = `http://127.0.0.1:${client}`;
  const proc = spawn('etcd', [
    '--data-dir', join(dir, 'data'), '--listen-client-urls', url, '--advertise-client-urls', url,
    '--listen-peer-urls', `http://127.0.0.1:${peer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peer}`,
    '--initial-cluster', `default=http://127.0.0.1:${peer}`,
    '--max-request-bytes', String(maxRequestBytes), '--quota-backend-bytes', String(quotaBackendBytes),
  ], { stdio: 'ignore' });
  started.push({ proc, dir });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) return url;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('etcd did not start');
}

const b64 = (s: string) => Buffer.from(s).toString('base64');
const call = async (url: string, path: string, body: unknown) => (await fetch(url + path, { method: 'POST', body: JSON.stringify(body) })).json() as Promise<{ error?: string }>;

/** The API server's write: a transaction comparing the key's mod revision, put on success, get on failure. */
const txn = (url: string, key: string, valueBytes: number, modRevision: number) =>
  call(url, '/v3/kv/txn', {
    compare: [{ target: 'MOD', key: b64(key), mod_revision: String(modRevision) }],
    success: [{ request_put: { key: b64(key), value: b64('x'.repeat(valueBytes)) } }],
    failure: [{ request_range: { key: b64(key) } }],
  });

async function largestAccepted(accepts: (size: number) => Promise<boolean>, hi: number): Promise<number> {
  let lo = 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (await accepts(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

describe.skipIf(!haveEtcd && !required)('real etcd (etcd-server)', () => {
  it('refuses a request one byte over --max-request-bytes, where the model says', async () => {
    const limit = 10_000;
    const url = await startEtcd(limit, 0);
    const key = '/registry/endpointslices/default/example-abcde';
    for (const modRevision of [0, 1, 200, 70_000]) {
      const real = await largestAccepted(async (v) => !(await txn(url, key, v, modRevision)).error, 20_000);
      const model = await largestAccepted(async (v) => etcdPutRequestBytes(key, v, modRevision) <= limit, 20_000);
      expect([-1, 0, 1], `mod_revision ${modRevision}: model ${model}, etcd ${real}`).toContain(model - real);
    }
    expect((await txn(url, key, 20_000, 0)).error).toBe(ETCD_REQUEST_TOO_LARGE);
  }, 60_000);

  it.each([9_000, 100_000])('raises the space alarm within 15 percent of the model\'s put count, with %i-byte values', async (valueBytes) => {
    const quota = 16 * 1024 * 1024;
    const url = await startEtcd(1_572_864, quota);
    const key = (n: number) => `/registry/endpointslices/default/s-${n % 10}`;
    let real = 0;
    let error: string | undefined;
    for (; real < 10_000; real++) {
      error = (await call(url, '/v3/kv/put', { key: b64(key(real)), value: b64('y'.repeat(valueBytes)) })).error;
      if (error) break;
    }
    expect(error).toBe(ETCD_NO_SPACE);
    const model = new EtcdStore(1_572_864, quota, 1);
    let predicted = 0;
    while (model.put(key(predicted), valueBytes, etcdPutRequestBytes(key(predicted), valueBytes, 0)).ok) predicted++;
    expect(Math.abs(real - predicted) / real, `etcd refused put ${real + 1}, the model put ${predicted + 1}`).toBeLessThan(0.15);

    // The alarm refuses even a tiny put, in etcd and in the model, until compaction, defrag and disarm.
    expect((await call(url, '/v3/kv/put', { key: b64('small'), value: b64('z') })).error).toBe(ETCD_NO_SPACE);
    expect(model.put('small', 1, 100)).toEqual({ ok: false, error: ETCD_NO_SPACE });
    const status = (await call(url, '/v3/maintenance/status', {})) as unknown as { header: { revision: string; member_id: string } };
    await call(url, '/v3/kv/compaction', { revision: status.header.revision, physical: true });
    await call(url, '/v3/maintenance/defragment', {});
    await call(url, '/v3/maintenance/alarm', { action: 'DEACTIVATE', memberID: status.header.member_id, alarm: 'NOSPACE' });
    model.compact(model.revision);
    model.defrag();
    expect((await call(url, '/v3/kv/put', { key: b64('small'), value: b64('z') })).error).toBeUndefined();
    expect(model.put('small', 1, 100)).toEqual({ ok: true });
  }, 120_000);
});
