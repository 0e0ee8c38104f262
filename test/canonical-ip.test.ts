// canonicalIP (ParseIPSloppy(ip).String() for what the kubelet reports): IPv4 text with leading zeros,
// out-of-range octets and stray characters, against the rule written independently here.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalIP } from '../src/model/ip.js';

describe('canonicalIP of IPv4 text', () => {
  it('keeps canonical text, drops leading zeros, refuses octets over 255 and anything not four dotted numbers', () => {
    const octet = fc.tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 2 })).map(([n, zeros]) => '0'.repeat(zeros) + String(n));
    fc.assert(
      fc.property(fc.array(octet, { minLength: 1, maxLength: 6 }), fc.constantFrom('', 'x', ' ', '.', ':'), (octets, junk) => {
        const text = octets.join('.') + junk;
        const valid = octets.length === 4 && junk === '' && octets.every((o) => Number(o) <= 255);
        expect(canonicalIP(text)).toBe(valid ? octets.map(Number).join('.') : undefined);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same text for the addresses the simulated cluster hands out', () => {
    for (const ip of ['10.64.0.2', '10.255.255.254', '0.0.0.0', '255.255.255.255', '1.2.3.4']) expect(canonicalIP(ip)).toBe(ip);
    for (const ip of ['010.1.1.1', '1.1.1', '1..1.1', '1.1.1.1.', '.1.1.1', '256.1.1.1', '1.1.1.1000']) expect(canonicalIP(ip)).toBe(ip === '010.1.1.1' ? '10.1.1.1' : undefined);
  });
});
