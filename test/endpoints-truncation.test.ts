// truncateEndpoints (Kubernetes >= 1.22, maxEndpoints 1000): the cases of upstream's
// TestTruncateEndpoints (pkg/controller/endpoint), as data: addresses per subset in, kept per subset out.
import { describe, expect, it } from 'vitest';
import { EndpointsContent, makeAddress } from '../src/model/endpoints.js';

const cases = [
  { desc: 'empty', ready: [], notReady: [], keptReady: [], keptNotReady: [] },
  { desc: 'total < max capacity', ready: [50, 100, 100, 100, 100], notReady: [50, 100, 100, 100, 100], keptReady: [50, 100, 100, 100, 100], keptNotReady: [50, 100, 100, 100, 100] },
  { desc: 'total = max capacity', ready: [100, 100, 100, 100, 100], notReady: [100, 100, 100, 100, 100], keptReady: [100, 100, 100, 100, 100], keptNotReady: [100, 100, 100, 100, 100] },
  {
    desc: 'ready < max capacity < total: not-ready addresses share what is left',
    ready: [90, 110, 50, 10, 20],
    notReady: [101, 200, 200, 201, 298],
    keptReady: [90, 110, 50, 10, 20],
    keptNotReady: [73, 144, 144, 145, 214],
  },
  {
    desc: 'ready > max capacity: only ready addresses, shares rounded up, the last one capped',
    ready: [205, 400, 402, 400, 693],
    notReady: [100, 200, 200, 200, 300],
    keptReady: [98, 191, 192, 191, 328],
    keptNotReady: [0, 0, 0, 0, 0],
  },
];

describe('truncateEndpoints (upstream TestTruncateEndpoints)', () => {
  it.each(cases)('$desc', ({ ready, notReady, keptReady, keptNotReady }) => {
    const content = new EndpointsContent();
    let n = 0;
    ready.forEach((count, subset) => {
      // Port numbers 11..15 keep the subsets in the test's order (subsets are ordered by port list).
      const ports = [{ name: '', port: 11 + subset, protocol: 'TCP' }];
      const add = (isReady: boolean) => {
        const key = `ns/pod-${n}`;
        const ip = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
        n++;
        content.set(key, makeAddress(key, { ip, hostname: '', ready: isReady }), ports);
      };
      for (let i = 0; i < count; i++) add(true);
      for (let i = 0; i < notReady[subset]; i++) add(false);
    });
    const subsets = content.toJSON(1000);
    expect(subsets.map((s) => (s.addresses as unknown[] | undefined)?.length ?? 0)).toEqual(keptReady.filter((_, i) => keptReady[i] + keptNotReady[i] > 0));
    expect(subsets.map((s) => (s.notReadyAddresses as unknown[] | undefined)?.length ?? 0)).toEqual(keptNotReady.filter((_, i) => keptReady[i] + keptNotReady[i] > 0));
    const measure = content.measure(1000);
    expect(measure.addresses).toBe([...keptReady, ...keptNotReady].reduce((a, b) => a + b, 0));
    expect(measure.truncated).toBe(ready.reduce((a, b) => a + b, 0) + notReady.reduce((a, b) => a + b, 0) > 1000);
  });
});

describe('truncation of large objects', () => {
  it('LessEndpointAddress: keeps the first addresses in IP-text byte order through many adds and removes (10,000 addresses)', () => {
    const content = new EndpointsContent();
    const ports = [{ name: '', port: 80, protocol: 'TCP' }];
    const live = new Map<string, string>();
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const ipOf = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
    for (let step = 0; step < 30_000; step++) {
      const n = rand(12_000);
      const key = `ns/pod-${n}`;
      if (live.has(key) && rand(3) === 0) {
        content.set(key, undefined, []);
        live.delete(key);
      } else if (!live.has(key)) {
        content.set(key, makeAddress(key, { ip: ipOf(n), hostname: '', ready: true }), ports);
        live.set(key, ipOf(n));
      }
      if (step % 5000 === 4999) {
        // Byte order of the text, not numeric order: 10.0.0.10 sorts before 10.0.0.9.
        const expected = [...live.values()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))).slice(0, 1000);
        const [subset] = content.toJSON(1000);
        expect((subset.addresses as { ip: string }[]).map((a) => a.ip)).toEqual(expected);
      }
    }
  });
});
