// apiserver/names.ts uuid: a version-4 UUID (RFC 4122 section 4.4) made of the generator's next four
// 32-bit draws, in order, with the version and variant bits set.
import { describe, expect, it } from 'vitest';
import { uuid } from '../src/apiserver/names.js';
import { stream, type Rng } from '../src/engine/rng.js';

/** The UUID's 128 bits as the four draws would give them, version and variant forced (RFC 4122 4.4). */
function expected(draws: number[]): string {
  const hex = draws.map((n) => n.toString(16).padStart(8, '0')).join('');
  const bits = [...hex];
  bits[12] = '4'; // time_hi_and_version: version 4
  bits[16] = (8 + (draws[2] >>> 30)).toString(16); // clock_seq_hi_and_reserved: 10xx
  const s = bits.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

describe('uuid (RFC 4122 version 4)', () => {
  it('is the next four draws, version 4, variant 10', () => {
    const rng = stream(7, 'apiserver');
    const twin = stream(7, 'apiserver');
    for (let i = 0; i < 2000; i++) {
      const id = uuid(rng);
      expect(id).toBe(expected([twin.uint32(), twin.uint32(), twin.uint32(), twin.uint32()]));
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it('covers every digit and the four variants', () => {
    const fixed = (draws: number[]) => ({ uint32: () => draws.shift()! }) as unknown as Rng;
    expect(uuid(fixed([0, 0, 0, 0]))).toBe('00000000-0000-4000-8000-000000000000');
    expect(uuid(fixed([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff]))).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    expect(uuid(fixed([0x01234567, 0x89abcdef, 0x40000000, 0xfedcba98]))).toBe('01234567-89ab-4def-9000-0000fedcba98');
  });
});
