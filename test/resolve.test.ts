// The scenario resolved once at load: units become numbers, distributions samplers, and the scenario
// as written stays available (run.json and `validate` print it unchanged).
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { Rng } from '../src/engine/rng.js';
import { resolveScenario } from '../src/scenario/load.js';
import { sampler, withOverrides } from '../src/scenario/resolve.js';

const YAML = `
name: r
until: 1h30m
cluster: {nodes: 3}
etcd: {maxRequestBytes: 1.5MiB, compactionInterval: 2m30s}
apiserver: {egressBandwidth: 10Gbps}
kubeProxy: {syncCost: {base: 10ms, perEndpoint: 10us}}
services:
  - name: web
    replicas: 2
    pod: {startupDelay: {dist: uniform, min: 1s, max: 3s}, readinessDelay: 250ms}
workload:
  - {name: swap, at: 1m, action: replace, service: web, count: 2, interval: 500ms}
  - {name: stall, at: 2m, action: watcherStall, nodes: 1, duration: 30s}
`;

describe('scenario resolved at load', () => {
  const s = resolveScenario(parseYaml(YAML), 'r.yaml');

  it('turns durations into microseconds, sizes into bytes and bits/s into bytes/s', () => {
    expect(s.until).toBe(5_400_000_000);
    expect(s.etcd.maxRequestBytes).toBe(1_572_864);
    expect(s.etcd.quotaBackendBytes).toBe(2 * 1024 ** 3);
    expect(s.etcd.compactionInterval).toBe(150_000_000);
    expect(s.apiserver.egressBandwidth).toBe(1.25e9);
    expect(s.kubeProxy.syncCost).toEqual({ base: 10_000, perEndpoint: 10 });
    expect(s.sampleEvery).toBe(1_000_000);
  });

  it('resolves every duration key of the workload steps and keeps the others', () => {
    expect(s.workload[0]).toMatchObject({ name: 'swap', at: 60_000_000, interval: 500_000, count: 2 });
    expect(s.workload[1]).toMatchObject({ at: 120_000_000, duration: 30_000_000, nodes: 1 });
  });

  it('keeps the scenario as written, with defaults, for printing', () => {
    expect(s.source.until).toBe('1h30m');
    expect(s.source.etcd.maxRequestBytes).toBe('1.5MiB');
    expect(s.source.services[0].pod.readinessDelay).toBe('250ms');
    expect(s.source.kubeProxy.minSyncPeriod).toBe('1s');
    const o = withOverrides(s, 7, ['endpoints']);
    expect([o.seed, o.source.seed, o.source.models]).toEqual([7, 7, ['endpoints']]);
  });

  it('samplers draw what the distribution says, and constants draw nothing from the generator', () => {
    const pod = s.services[0].pod;
    const a = new Rng(5);
    const b = new Rng(5);
    expect(pod.readinessDelay(a)).toBe(250_000);
    const u = pod.startupDelay(a);
    expect(u).toBe(Math.round(1e6 + 2e6 * b.float())); // the constant above took no draw
    expect(u).toBeGreaterThanOrEqual(1e6);
    expect(u).toBeLessThan(3e6);
    const ln = sampler({ dist: 'lognormal', median: '2s', p99: '2s' });
    expect(ln(a)).toBe(2_000_000); // sigma 0: always the median
    expect(sampler({ dist: 'exponential', mean: '1s' })(new Rng(1))).toBe(Math.round(-1e6 * Math.log(1 - new Rng(1).float())));
  });
});
