// `slicesim merge DIR… [--out DIR]`: joins the folders of a sharded sweep into the folder the
// unsharded sweep would have written, byte for byte. The shards must come from the same sweep (same
// run.json but for `shard`); a point found in two folders must be identical in both; a point found
// in none is an error naming it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../report/csv-read.js';
import { pointCount, pointIndex, pointValues } from '../sweep/grid.js';
import { sweepFiles, type SweepMeta } from '../sweep/files.js';
import { UsageError } from './errors.js';
import { defaultSweepDir, writeFolder } from './write-folder.js';

interface Shard {
  dir: string;
  meta: SweepMeta;
  columns: string[];
  rows: Record<string, string>[];
}

function readShard(dir: string): Shard {
  const read = (name: string) => {
    const path = join(dir, name);
    if (!existsSync(path)) throw new UsageError(`${dir}: no ${name}; give folders written by slicesim sweep`);
    return readFileSync(path, 'utf8');
  };
  let meta: SweepMeta;
  try {
    meta = JSON.parse(read('run.json')) as SweepMeta;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${dir}/run.json: not valid JSON`);
  }
  if (meta.program !== 'slicesim' || meta.kind !== 'sweep') throw new UsageError(`${dir}/run.json: not a slicesim sweep (program slicesim, kind sweep)`);
  const t = parseCsv(read('sweep.csv'));
  return { dir, meta, columns: t.columns, rows: t.rows };
}

/** run.json without the shard: what every shard of one sweep must share. */
const identity = (m: SweepMeta) => JSON.stringify({ ...m, shard: undefined });

export async function mergeCommand(dirs: string[], out: string | undefined, quiet: boolean): Promise<void> {
  if (!dirs.length) throw new UsageError('merge: name the shard folders, e.g. slicesim merge results/sweeps/x-shard-*');
  const shards = dirs.map(readShard);
  const first = shards[0];
  for (const s of shards.slice(1)) {
    if (identity(s.meta) !== identity(first.meta)) {
      const fields = Object.keys({ ...first.meta, ...s.meta }).filter((k) => k !== 'shard' && JSON.stringify((s.meta as unknown as Record<string, unknown>)[k]) !== JSON.stringify((first.meta as unknown as Record<string, unknown>)[k]));
      throw new UsageError(`${s.dir}: not a shard of the same sweep as ${first.dir} (run.json differs in ${fields.join(', ')})`);
    }
    if (s.columns.join(',') !== first.columns.join(',')) throw new UsageError(`${s.dir}/sweep.csv: its columns differ from ${first.dir}/sweep.csv`);
  }
  const { grid, models } = first.meta;
  const keys = grid.map((g) => g.key);
  const found = new Map<string, { dir: string; cells: string[] }>();
  for (const s of shards) {
    for (const [i, r] of s.rows.entries()) {
      const p = pointIndex(grid, keys.map((k) => r[k]));
      if (p < 0 || !models.includes(r.model)) throw new UsageError(`${s.dir}/sweep.csv row ${i + 2}: ${keys.map((k) => `${k}=${r[k]}`).join(', ')}, model ${r.model} is not a point of the grid`);
      const id = `${p}/${r.model}`;
      const cells = s.columns.map((c) => r[c]);
      const prev = found.get(id);
      if (prev && prev.cells.join('\u0000') !== cells.join('\u0000')) {
        const diff = s.columns.filter((_, k) => prev.cells[k] !== cells[k]);
        throw new UsageError(`point ${p} (${keys.map((k) => `${k}=${r[k]}`).join(', ')}), model ${r.model}: ${prev.dir} and ${s.dir} disagree in ${diff.join(', ')}`);
      }
      found.set(id, { dir: s.dir, cells });
    }
  }
  const total = pointCount(grid);
  const missing: string[] = [];
  const rows: string[][] = [];
  for (let p = 0; p < total; p++) {
    const absent = models.filter((m) => !found.has(`${p}/${m}`));
    if (absent.length) missing.push(`${p} (${pointValues(grid, p).map((v, i) => `${keys[i]}=${v}`).join(', ')}${absent.length < models.length ? `; model ${absent.join(', ')}` : ''})`);
    else for (const m of models) rows.push(found.get(`${p}/${m}`)!.cells);
  }
  if (missing.length) throw new UsageError(`merge: ${missing.length} point${missing.length > 1 ? 's are' : ' is'} in none of the folders: ${missing.slice(0, 5).join('; ')}${missing.length > 5 ? '; …' : ''}`);
  const meta: SweepMeta = { ...first.meta };
  delete meta.shard;
  const dir = out ?? defaultSweepDir((meta.scenario as { name: string }).name, meta);
  await writeFolder(dir, sweepFiles(meta, first.columns.filter((c) => !keys.includes(c)), rows));
  if (!quiet) process.stdout.write(`merged ${shards.length} folders: ${total} points × ${models.length} models\nresults: ${dir}/ (sweep.csv, report.html)\n`);
}
