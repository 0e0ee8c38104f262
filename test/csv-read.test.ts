// parseCsv reads quote-free text (everything slicesim writes) by splitting lines and commas; that
// fast path must give the records the RFC 4180 scanner gives for the same text.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { numbers, num, parseCsv, parsePlain, parseQuoted, readColumns } from '../src/report/csv-read.js';

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

describe('readColumns: the cells of parseCsv\'s rows, column by column', () => {
  // Headers from a few names (repeats, absent ones asked for), lines short or long, quotes, CR and CRLF.
  // Half the files without quotes or CR: the fast path slicesim's own files take.
  const plain = fc.boolean();
  const cell = (quotes: boolean) => (quotes ? fc.constantFrom('a', '1', '2.5', '', '"q,r"', '"s""t"') : fc.constantFrom('a', 'b', 'x', '1', '2.5', ''));
  const line = (quotes: boolean) => fc.array(cell(quotes), { maxLength: 5 }).map((c) => c.join(','));
  const text = plain.chain((p) => fc.tuple(fc.array(fc.constantFrom('a', 'b', 'c', 'time_s'), { minLength: 1, maxLength: 4 }), fc.array(line(!p), { maxLength: 6 }), p ? fc.constant('\n') : fc.constantFrom('\n', '\r\n', '\r'), fc.boolean()))
    .map(([header, lines, eol, last]) => [header.join(','), ...lines].join(eol) + (last ? eol : ''));
  it('every wanted column the header has, absent ones left out; numbers by num\'s rule', () => {
    fc.assert(fc.property(text, fc.array(fc.constantFrom('a', 'b', 'c', 'time_s', 'z'), { maxLength: 4 }), (t, wanted) => {
      const table = parseCsv(t);
      const cols = readColumns(t, wanted);
      expect(cols.columns).toEqual(table.columns);
      expect(cols.length).toBe(table.rows.length);
      for (const c of wanted) {
        if (!table.columns.includes(c)) expect(cols.cells.has(c)).toBe(false);
        else expect(cols.cells.get(c)).toEqual(table.rows.map((r) => r[c]));
        expect([...numbers(cols, c)]).toEqual(table.rows.map((r) => num(r, c)));
      }
    }));
  });
});
