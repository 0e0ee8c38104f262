// The limits a frontier is drawn against, one rule per case, and the frontier walk itself.
import { describe, expect, it } from 'vitest';
import { brokenLimits, frontier, NPL_THRESHOLD_MS } from '../src/sweep/limits.js';

const ok = { nodes: '1000', writes: '10', rejected_writes: '0', quota_rejected_writes: '0', programming_latency_p99_ms: '1000' };

describe('within limits', () => {
  it.each([
    ['every write accepted, p99 under 30 s', ok, []],
    ['a write refused for size (etcdserver: request is too large)', { ...ok, rejected_writes: '1' }, ['etcd request size']],
    ['a write refused by the space quota (mvcc: database space exceeded)', { ...ok, quota_rejected_writes: '3' }, ['etcd quota']],
    ['p99 at clusterloader2\'s 30 s threshold', { ...ok, programming_latency_p99_ms: String(NPL_THRESHOLD_MS) }, ['latency p99 ≥ 30 s']],
    ['clusterloader2\'s own statistic wins over the whole-run p99', { ...ok, programming_latency_p99_ms: '40000', npl_cl2_p99_ms: '20000' }, []],
    ['writes but no latency sample: nothing was programmed', { ...ok, programming_latency_p99_ms: '' }, ['no latency sample']],
    ['nodes left out of date at the end, when the run reports it', { ...ok, nodes_up_to_date: '999' }, ['nodes not up to date']],
    ['an older run without nodes_up_to_date is judged on the rest', { ...ok }, []],
  ])('%s', (_, row, broken) => {
    expect(brokenLimits(row as Record<string, string>)).toEqual(broken);
  });
});

describe('the frontier', () => {
  const row = (nodes: string, size: string, model: string, p99: number) => ({ ...ok, n: nodes, size, model, programming_latency_p99_ms: String(p99) });
  const rows = [
    row('1', '100', 'a', 10), row('1', '200', 'a', 20_000), row('1', '400', 'a', 40_000), row('1', '800', 'a', 10),
    row('1', '100', 'b', 10), row('1', '200', 'b', 10), row('1', '400', 'b', 10), row('1', '800', 'b', 10),
    row('2', '100', 'a', 31_000), row('2', '200', 'a', 10),
  ];
  it('takes the largest size with every smaller size within limits too, per model and other key', () => {
    expect(frontier(rows, ['n', 'size'], 'size', ['a', 'b'])).toEqual([
      { by: ['1'], model: 'a', largest: '200', firstOutside: '400', limitedBy: 'latency p99 ≥ 30 s' },
      { by: ['1'], model: 'b', largest: '800', firstOutside: '', limitedBy: '' },
      { by: ['2'], model: 'a', largest: '', firstOutside: '100', limitedBy: 'latency p99 ≥ 30 s' },
    ]);
  });
});
