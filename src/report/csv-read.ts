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
  return { columns, rows: body.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] ?? '']))) };
}

/** Text without quotes (what slicesim writes, thousands of rows): lines split on commas, as parseQuoted would. */
export function parsePlain(text: string): string[][] {
  const lines = text.split(/\r\n|\n|\r/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => l.split(','));
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
