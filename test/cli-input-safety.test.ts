// Bad input on the command line (SPEC.md "Safety of the command line"): flags checked like keys,
// `--set` paths that name nothing or reach for prototypes, scenarios too large for the machine, and
// odd files. Each must exit 2 with one line naming the flag or key, no stack trace, no files written.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_DIR } from './paths.js';

const BASE = 'name: small\ncluster: {nodes: 10}\nservices: [{name: web, replicas: 20}]\nworkload:\n  - {name: roll, at: 1m, action: rollingUpdate, service: web}\n';

function setup(text = BASE) {
  const dir = mkdtempSync(join(tmpdir(), 'slicesim-in-'));
  writeFileSync(join(dir, 's.yaml'), text);
  const run = (...args: string[]) => spawnSync('node', [join(REPO_DIR, 'dist/cli/main.js'), ...args], { encoding: 'utf8', cwd: dir, input: args.includes('-') ? text : undefined });
  return { dir, run };
}

function refused(r: ReturnType<ReturnType<typeof setup>['run']>, ...texts: string[]) {
  expect(r.status, r.stderr).toBe(2);
  for (const t of texts) expect(r.stderr).toContain(t);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('flags are checked like keys', () => {
  it.each([
    [['--seed', 'abc'], '--seed: expected an integer'],
    [['--seed', '1.5'], '--seed: expected an integer'],
    [['--seed', '1', '--seed', '2'], '--seed is given 2 times'],
    [['--models', 'endpoints,endpoints'], '--models: endpoints is named twice'],
    [['--models', 'slices'], '--models: unknown model "slices"'],
    [['--out', 'a'], '--out is given 2 times'],
    [['--bogus'], 'unknown flag: --bogus'],
    [['--set', '__proto__.x=1'], '"__proto__" is not a scenario key'],
    [['--set', 'services.0.constructor.prototype.x=1'], '"constructor" is not a scenario key'],
    [['--set', 'services.-1.replicas=3'], 'services has no item named "-1"'],
    [['--set', 'services.5.replicas=3'], 'services[5] names nothing'],
    [['--set', 'services.api.replicas=3'], 'no item named "api"; names: web'],
    [['--set', 'cluster.nodez=3'], 'cluster.nodez names nothing; allowed keys here: nodes'],
    [['--set', 'cluster.nodes=many'], 'cluster.nodes: expected nodes as a whole number'],
    [['--set', 'cluster.nodes'], 'expected key.path=value'],
  ])('run %j', (flags, message) => {
    const { dir, run } = setup();
    refused(run('run', 's.yaml', '--out', 'out', ...flags), message);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('an unknown flag before the file is named as unknown', () => {
    refused(setup().run('run', '--bogus', 's.yaml'), 'unknown flag: --bogus');
  });

  it('--set addresses items by name and by index', () => {
    const { dir, run } = setup();
    expect(run('run', 's.yaml', '--out', 'o', '--quiet', '--set', 'services.web.replicas=30', '--set', 'workload.roll.maxSurge=10%').status).toBe(0);
    const scenario = JSON.parse(readFileSync(join(dir, 'o', 'run.json'), 'utf8')).scenario;
    expect([scenario.services[0].replicas, scenario.workload[0].maxSurge]).toEqual([30, '10%']);
  });

  it('- reads the scenario from standard input for run and validate', () => {
    const { dir, run } = setup();
    expect(run('validate', '-').stdout).toContain('name: small');
    const r = run('run', '-', '--out', 'o', '--quiet');
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'o', 'summary.csv'), 'utf8')).toContain('small,endpoints,roll');
  });
});

describe('size and reconcile flags and input', () => {
  const SLICE = JSON.stringify({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'a', namespace: 'default' }, addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'] }] });

  it.each([
    [['size', 'x.json', '--nodes', 'abc'], '--nodes: expected a whole number'],
    [['size', 'x.json', '--nodes', '-1'], '--nodes: expected a whole number'],
    [['size', 'x.json', '--nodes', '1', '--nodes', '2'], '--nodes is given 2 times'],
    [['size', 'x.json', 'y.json'], 'unexpected argument: y.json'],
    [['reconcile', 'x.json', '--max-endpoints-per-slice', '0'], '--max-endpoints-per-slice: expected a whole number 1..1000'],
    [['reconcile', 'x.json', '--controller', 'kube-proxy'], '--controller: unknown controller'],
    [['reconcile', 'missing.json'], 'missing.json: cannot read: no such file'],
  ])('%j', (args, message) => {
    const { dir, run } = setup();
    writeFileSync(join(dir, 'x.json'), SLICE);
    refused(run(...args), message);
  });

  it('size - reads the object from standard input', () => {
    const dir = mkdtempSync(join(tmpdir(), 'slicesim-in-'));
    const r = spawnSync('node', [join(REPO_DIR, 'dist/cli/main.js'), 'size', '-', '--json'], { encoding: 'utf8', cwd: dir, input: SLICE });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).objects[0].endpoints).toBe(1);
  });
});

describe('scenarios too large for the machine are refused within seconds, naming the key', () => {
  it.each([
    ['cluster.nodes=1000000000', 'cluster.nodes'],
    ['workload.0.at=1000000h', 'workload[0].at'],
    ['sampleEvery=0s', 'sampleEvery: must be more than 0'],
    ['sampleEvery=1us', 'sampleEvery: 1us'],
    ['workload=[{name: c, at: 1s, action: churn, service: web, rate: 1000000000, duration: 1m}]', 'workload[0]: the run would create'],
    ['services.0.replicas=1101', 'do not fit on 10 nodes'],
    ['cluster.podCIDRMaskSize=16', 'cluster.nodes'],
  ])('--set %s', (set, key) => {
    const { dir, run } = setup();
    const t0 = Date.now();
    refused(run('run', 's.yaml', '--out', 'out', '--set', set, ...(set.includes('podCIDR') ? ['--set', 'cluster.nodes=100000'] : [])), key);
    expect(Date.now() - t0).toBeLessThan(30_000); // refused up front, not after running out of memory
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('a file with 50,000 unknown keys is reported quickly, the first ones and a count', () => {
    const keys = Array.from({ length: 50_000 }, (_, i) => `k${i}: 1`).join('\n');
    const { run } = setup(`${BASE}${keys}\n`);
    refused(run('validate', 's.yaml'), 'k0: unknown key', '49980 more unknown keys');
  });
});

describe('odd files', () => {
  it.each([
    ['.nan', 'cluster: {nodes: .nan}', 'cluster.nodes', '.nan'],
    ['1e400', 'cluster: {nodes: 1e400}', 'cluster.nodes', '.inf'],
    ['two documents', `${BASE}---\n${BASE}`, 'holds 2 YAML documents', ''],
    ['lognormal median 0', BASE.replace('replicas: 20}', 'replicas: 20, pod: {startupDelay: {dist: lognormal, median: 0s, p99: 1s}}}'), 'services[0].pod.startupDelay.median', ''],
    ['uniform min > max', BASE.replace('replicas: 20}', 'replicas: 20, pod: {readinessDelay: {dist: uniform, min: 3s, max: 1s}}}'), 'services[0].pod.readinessDelay.min', ''],
  ])('%s', (_, text, key, shown) => {
    const { run } = setup(text.startsWith('cluster') ? BASE.replace('cluster: {nodes: 10}', text) : text);
    refused(run('validate', 's.yaml'), key, shown);
  });

  it('aliases that expand exponentially ("billion laughs") and documents nested 100,000 deep are refused, exit 2', () => {
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefg'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefg'[i]}`).join(', ')}]`)].join('\n');
    refused(setup(laughs).run('validate', 's.yaml'), 'resource exhaustion');
    refused(setup(`{"name": "x", "a": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`).run('validate', 's.yaml'), 'nested too deeply');
  });

  it('an unknown command is named', () => {
    refused(setup().run('simulate', 's.yaml'), 'unknown command: simulate');
  });

  it('a UTF-16 file (with a byte-order mark) is read as text', () => {
    const { dir, run } = setup();
    writeFileSync(join(dir, 'u16.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(BASE, 'utf16le')]));
    const r = run('validate', 'u16.yaml');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('name: small');
  });

  it('an unreadable file or a folder is one line, exit 2', () => {
    const { run } = setup();
    refused(run('run', 'missing.yaml'), 'missing.yaml: cannot read: no such file');
    refused(run('run', '.'), 'is a folder');
    refused(run('size', 'missing.json'), 'cannot read');
  });
});
