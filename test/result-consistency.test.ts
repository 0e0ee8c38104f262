// Result files that agree with each other (issue 8 item 7): the last timeseries row is taken after
// every write of the final instant, and `replace` keeps a service at its replicas even when none of
// its pods is ready.
import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../src/scenario/load.js';
import { simulateModel } from '../src/simulation.js';
import { summaryRows } from '../src/report/summary.js';

describe('the last timeseries row', () => {
  it.each(['endpoints', 'endpointslices'] as const)('%s: with until at the instant of a write, it counts that write (as summary.csv does)', (model) => {
    // replace steps at 10s, 11s, 12s; the run stops at 12s, on a sample tick.
    const s = resolveScenario(
      { name: 'until', until: '12s', cluster: { nodes: 4 }, services: [{ name: 'web', replicas: 6 }], workload: [{ name: 'swap', at: '10s', action: 'replace', service: 'web', count: 5 }] },
      'until',
    );
    const run = simulateModel(s, model);
    const last = run.samples[run.samples.length - 1];
    expect(last.time).toBe(12e6);
    expect(last.counters.writes).toBe(run.metrics.total.writes);
    expect(last.counters.etcdBytes).toBe(run.metrics.total.etcdBytes);
    expect(run.samples.filter((x) => x.time === last.time)).toHaveLength(1);
  });
});

describe('replace with no ready pod', () => {
  it('swaps a not-ready pod, so the endpoints never exceed the replicas', () => {
    // Every node fails (all pods turn not ready) before the replace steps.
    const s = resolveScenario(
      {
        name: 'noready', cluster: { nodes: 3, zones: ['a'] }, services: [{ name: 'web', replicas: 6, publishNotReadyAddresses: true }],
        workload: [{ name: 'fail', at: '1s', action: 'nodeFailure', zone: 'a' }, { name: 'swap', at: '10s', action: 'replace', service: 'web', count: 20 }],
      },
      'noready',
    );
    for (const model of ['endpoints', 'endpointslices'] as const) {
      const rows = summaryRows(s, [simulateModel(s, model)]);
      for (const r of rows) expect(Number(r.endpoints_peak), `${model} ${r.phase}`).toBeLessThanOrEqual(6);
      expect(rows.find((r) => r.phase === 'swap')!.pods_replaced).toBe(20);
    }
  });

  it('with no pod at all there is nothing to replace', () => {
    const s = resolveScenario({ name: 'empty', cluster: { nodes: 1 }, services: [{ name: 'web', replicas: 0 }], workload: [{ name: 'swap', at: '1s', action: 'replace', service: 'web', count: 3 }] }, 'empty');
    const rows = summaryRows(s, [simulateModel(s, 'endpointslices')]);
    expect(rows.every((r) => Number(r.endpoints_peak) === 0)).toBe(true);
  });
});
