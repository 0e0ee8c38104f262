// humanCount groups safe integers itself (toLocaleString's first call loads ICU, ~10 ms of every run);
// its text must stay toLocaleString('en-US')'s, which the printed tables and report.html used before.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { humanCount } from '../src/report/summary.js';

describe('humanCount writes what toLocaleString(\'en-US\') writes', () => {
  it.each([0, -0, 1, -1, 999, 1000, -1000, 9999, 100_000, 999_999, 1_000_000, 1_234_567_890, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53, 1e21, 1.5, -0.25, 1234.5678, NaN, Infinity, -Infinity])(
    '%d',
    (n) => expect(humanCount(n)).toBe(n.toLocaleString('en-US')),
  );

  it('for any integer and any double', () => {
    fc.assert(fc.property(fc.oneof(fc.maxSafeInteger(), fc.integer(), fc.double()), (n) => humanCount(n) === n.toLocaleString('en-US')));
  });
});
