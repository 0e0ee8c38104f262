// parseCsv reads quote-free text (everything slicesim writes) by splitting lines and commas; that
// fast path must give the records the RFC 4180 scanner gives for the same text.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseCsv, parsePlain, parseQuoted } from '../src/report/csv-read.js';

describe('parseCsv without quotes', () => {
  it('splits like the RFC 4180 scanner: CRLF, CR, blank lines, trailing newline or not', () => {
    const text = fc.array(fc.constantFrom('a', 'b', '1', ',', '\n', '\r\n', '\r', ''), { maxLength: 40 }).map((p) => p.join(''));
    fc.assert(fc.property(text, (t) => {
      expect(parsePlain(t)).toEqual(parseQuoted(t));
    }));
  });

  it('keys rows by the header', () => {
    expect(parseCsv('x,y\n1,2\n3,4\n').rows).toEqual([{ x: '1', y: '2' }, { x: '3', y: '4' }]);
  });
});
