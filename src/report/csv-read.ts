// Reading slicesim's own CSV files back (summary.csv, timeseries.csv, latency.csv, sweep.csv), so a
// report can be rebuilt from any result folder. Columns are read by name: columns that other parts of
// the program add later appear in the reports without changes here.

export interface Table {
  columns: string[];
  rows: Record<string, string>[];
}

/** RFC 4180 text (quoted fields may hold commas, quotes and newlines) into rows keyed by the header. */
export function parseCsv(text: string): Table {
  const records = text.includes('"') ? parseQuoted(text) : parsePlain(text);
  const [columns = [], ...body] = records;
  // A header naming __proto__ would set the prototype by assignment: that rare file takes the slow path.
  if (columns.includes('__proto__')) return { columns, rows: body.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] ?? '']))) };
  // Rows built by assignment in header order share one shape (Object.fromEntries costs about 3x as much:
  // 20 ms for the blog's timeseries.csv).
  const rows = new Array<Record<string, string>>(body.length);
  for (let j = 0; j < body.length; j++) {
    const r = body[j];
    const row: Record<string, string> = {};
    for (let i = 0; i < columns.length; i++) row[columns[i]] = r[i] ?? '';
    rows[j] = row;
  }
  return { columns, rows };
}

/** Text without quotes (what slicesim writes, thousands of rows): lines split on commas, as parseQuoted would. */
export function parsePlain(text: string): string[][] {
  const lines = text.includes('\r') ? text.split(/\r\n|\n|\r/) : text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => l.split(','));
}

/** Some columns of a CSV file, each as its cells in file order ('' where a line is short). */
export interface Columns {
  /** The header, every column. */
  columns: string[];
  /** Lines after the header. */
  length: number;
  /** The wanted columns the header names (the last one of a name given twice, as parseCsv's rows keep). */
  cells: Map<string, string[]>;
}

/**
 * The cells of a few columns without a row object per line: report.html draws 7 of the 17 columns of
 * timeseries.csv, 10,000 lines for the blog scenario, and reading them as rows cost more than drawing.
 * Same cells as parseCsv's rows (test/csv-read.test.ts).
 */
export function readColumns(text: string, wanted: readonly string[]): Columns {
  if (text.includes('"') || text.includes('\r')) {
    const [columns = [], ...body] = parseQuoted(text);
    return { columns, length: body.length, cells: pick(columns, wanted, (i) => body.map((r) => r[i] ?? '')) };
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const columns = lines.length ? lines[0].split(',') : [];
  const length = Math.max(0, lines.length - 1);
  const cells = pick(columns, wanted, () => new Array<string>(length));
  const at = [...cells.keys()].map((c) => ({ index: columns.lastIndexOf(c), out: cells.get(c)! })).sort((a, b) => a.index - b.index);
  for (let j = 0; j < length; j++) {
    const line = lines[j + 1];
    let field = 0;
    let start = 0;
    for (const { index, out } of at) {
      // Step over the commas before this field; a short line leaves the rest ''.
      while (field < index && start >= 0) {
        start = line.indexOf(',', start);
        if (start >= 0) start++;
        field++;
      }
      if (start < 0) {
        out[j] = '';
        continue;
      }
      const end = line.indexOf(',', start);
      out[j] = end < 0 ? line.slice(start) : line.slice(start, end);
    }
  }
  return { columns, length, cells };
}

function pick(columns: string[], wanted: readonly string[], cellsOf: (index: number) => string[]): Map<string, string[]> {
  const cells = new Map<string, string[]>();
  for (const c of wanted) if (!cells.has(c) && columns.includes(c)) cells.set(c, cellsOf(columns.lastIndexOf(c)));
  return cells;
}

/** A column of readColumns as numbers, by num's rule: NaN when empty or absent. */
export function numbers(t: Columns, column: string): Float64Array {
  const out = new Float64Array(t.length).fill(NaN);
  const cells = t.cells.get(column);
  if (cells) for (let i = 0; i < t.length; i++) if (cells[i] !== '') out[i] = Number(cells[i]);
  return out;
}

export function parseQuoted(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') field += text[++i];
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** A cell as a number; NaN when empty or absent (a latency without samples, a column an older run lacks). */
export function num(row: Record<string, string> | undefined, column: string): number {
  const v = row?.[column];
  return v === undefined || v === '' ? NaN : Number(v);
}
