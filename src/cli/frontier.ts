// `slicesim frontier DIR… [--out DIR]`: the limits of several sweeps side by side (e.g. the Endpoints
// model of 1.18 and current EndpointSlices, each swept over its own range), as frontier.csv (one row
// per value of the other grid key: each model's largest size within limits, and their ratio) and
// frontier.svg (the chart the README shows). Reads only sweep.csv and run.json of each folder.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { parseCsv } from '../report/csv-read.js';
import { frontier, type FrontierRow } from '../sweep/limits.js';
import type { SweepMeta } from '../sweep/files.js';
import { frontierMarkdown } from '../sweep/frontier-markdown.js';
import { frontierChart, shortKey } from '../report/html/sweep-report.js';
import { UsageError } from './errors.js';
import { VERSION } from './run.js';
import { writeFolder } from './write-folder.js';

export interface FrontierResult {
  files: Record<string, string>;
  text: string;
}

export function frontierFiles(dirs: string[]): FrontierResult {
  const sweeps = dirs.map((dir) => {
    const path = (f: string) => join(dir, f);
    if (!existsSync(path('run.json')) || !existsSync(path('sweep.csv'))) throw new UsageError(`${dir}: not a sweep folder (needs run.json and sweep.csv from slicesim sweep or merge)`);
    const meta = JSON.parse(readFileSync(path('run.json'), 'utf8')) as SweepMeta;
    if (meta.program !== 'slicesim' || meta.kind !== 'sweep' || meta.shard) throw new UsageError(`${dir}: not a whole slicesim sweep (merge the shards first)`);
    if (meta.grid.length !== 2) throw new UsageError(`${dir}: frontier needs a sweep over two grid keys (a cluster size and a service size); this one has ${meta.grid.length}`);
    return { dir, meta, table: parseCsv(readFileSync(path('sweep.csv'), 'utf8')) };
  });
  const [byKey, sizeKey] = sweeps[0].meta.grid.map((g) => g.key);
  for (const s of sweeps) {
    const keys = s.meta.grid.map((g) => g.key);
    if (keys[0] !== byKey || keys[1] !== sizeKey) throw new UsageError(`${s.dir}: its grid is ${keys.join(' × ')}; the first folder's is ${byKey} × ${sizeKey}`);
  }
  const models = [...new Set(sweeps.flatMap((s) => s.meta.models))];
  // A model swept in two folders would be counted twice.
  for (const m of models) {
    const holders = sweeps.filter((s) => s.meta.models.includes(m));
    if (holders.length > 1) throw new UsageError(`model ${m} is in both ${holders[0].dir} and ${holders[1].dir}; give each model's sweep once`);
  }
  const rows: FrontierRow[] = sweeps.flatMap((s) => frontier(s.table.rows, [byKey, sizeKey], sizeKey, s.meta.models));
  const byValues = [...new Set(sweeps.flatMap((s) => s.meta.grid[0].values))].sort((a, b) => Number(a) - Number(b));
  const cell = (by: string, m: string) => rows.find((r) => r.by[0] === by && r.model === m);
  const head = [byKey, ...models.flatMap((m) => [`${m}_largest`, `${m}_first_outside`, `${m}_limited_by`]), ...(models.length === 2 ? [`ratio_${models[1]}_to_${models[0]}`] : [])];
  const table = byValues.map((by) => {
    const cells = models.flatMap((m) => {
      const f = cell(by, m);
      return [f?.largest ?? '', f?.firstOutside ?? '', f?.limitedBy ?? ''];
    });
    if (models.length === 2) cells.push(ratio(cell(by, models[0]), cell(by, models[1])));
    return [by, ...cells];
  });
  const sources = sweeps.map((s) => ({ folder: s.dir, file: s.meta.file, models: s.meta.models, seed: s.meta.seed, kubernetes: (s.meta.scenario as { kubernetes?: string }).kubernetes ?? null, grid: s.meta.grid }));
  const files = {
    'frontier.csv': stringify(table, { header: true, columns: head }),
    'frontier.svg': frontierChart(rows, byKey, byValues, sizeKey, models, true, `Largest ${shortKey(sizeKey)} whose rollout stays within limits, by ${shortKey(byKey)}`),
    'run.json': `${JSON.stringify({ program: 'slicesim', version: VERSION, kind: 'frontier', by: byKey, size: sizeKey, sources }, null, 2)}\n`,
  };
  const text = frontierMarkdown(files['frontier.csv']);
  return { files, text };
}

/**
 * How much larger a Service the second model serves within limits: the ratio of the largest sizes,
 * prefixed with ">=" when the second model never left the limits in its range (the true ratio is
 * larger), empty when the first model was outside limits at its smallest size.
 */
function ratio(a: FrontierRow | undefined, b: FrontierRow | undefined): string {
  if (!a?.largest || !b?.largest) return '';
  const r = Number((Number(b.largest) / Number(a.largest)).toPrecision(3));
  return `${b.firstOutside ? '' : '>='}${a.firstOutside ? '' : '<='}${r}`;
}

export async function frontierCommand(dirs: string[], out: string | undefined, quiet: boolean): Promise<void> {
  if (!dirs.length) throw new UsageError('frontier: name the sweep folders, e.g. results/sweeps/frontier-endpoints-1-18 results/sweeps/frontier-endpointslices');
  const { files, text } = frontierFiles(dirs);
  const dir = out ?? join('results', 'sweeps', 'frontier');
  await writeFolder(dir, files);
  if (!quiet) process.stdout.write(`${text}\n\nresults: ${dir}/ (frontier.csv, frontier.svg)\n`);
}
