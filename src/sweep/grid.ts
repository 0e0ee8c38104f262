// A sweep's grid: `--grid key=v1,v2,…` flags, their combinations numbered in a fixed order (the first
// key varies slowest), and `--shard I/N` choosing the points p with p mod N = I. The numbering is the
// contract between shards: the same grid gives the same point numbers on every machine.
import { UsageError } from '../cli/errors.js';

export interface GridKey {
  key: string;
  values: string[];
}

export interface Shard {
  index: number;
  count: number;
}

export function parseGrid(flags: readonly string[]): GridKey[] {
  if (!flags.length) throw new UsageError('--grid: give at least one, e.g. --grid cluster.nodes=1000,3000,5000');
  const grid = flags.map((flag) => {
    const eq = flag.indexOf('=');
    if (eq <= 0) throw new UsageError(`--grid ${flag}: expected key.path=v1,v2,…, e.g. services.0.replicas=1000,5000`);
    const key = flag.slice(0, eq);
    const values = flag.slice(eq + 1).split(',').map((v) => v.trim());
    if (values.some((v) => v === '')) throw new UsageError(`--grid ${flag}: an empty value; separate values with single commas`);
    const dup = values.find((v, i) => values.indexOf(v) !== i);
    if (dup !== undefined) throw new UsageError(`--grid ${flag}: the value ${dup} is given twice`);
    return { key, values };
  });
  const dup = grid.find((g, i) => grid.findIndex((h) => h.key === g.key) !== i);
  if (dup) throw new UsageError(`--grid ${dup.key}: the key is given twice; list all its values in one --grid`);
  return grid;
}

export function parseShard(text: string | undefined): Shard | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index >= count) throw new UsageError(`--shard ${text}: expected I/N with 0 <= I < N, e.g. 0/4 (in a Kubernetes Indexed Job: $JOB_COMPLETION_INDEX/N)`);
  return { index, count };
}

export const pointCount = (grid: readonly GridKey[]): number => grid.reduce((n, g) => n * g.values.length, 1);

/** The grid values of point p (first key slowest). */
export function pointValues(grid: readonly GridKey[], p: number): string[] {
  const out: string[] = [];
  let rest = p;
  for (let i = grid.length - 1; i >= 0; i--) {
    const n = grid[i].values.length;
    out[i] = grid[i].values[rest % n];
    rest = Math.floor(rest / n);
  }
  return out;
}

/** The point number of a combination of values, or -1 when a value is not in the grid. */
export function pointIndex(grid: readonly GridKey[], values: readonly string[]): number {
  let p = 0;
  for (let i = 0; i < grid.length; i++) {
    const k = grid[i].values.indexOf(values[i]);
    if (k < 0) return -1;
    p = p * grid[i].values.length + k;
  }
  return p;
}

/** `--set` assignments that put point p's values into the scenario. */
export const pointSets = (grid: readonly GridKey[], p: number): string[] => pointValues(grid, p).map((v, i) => `${grid[i].key}=${v}`);

export function shardPoints(total: number, shard: Shard | undefined): number[] {
  const all = Array.from({ length: total }, (_, p) => p);
  return shard ? all.filter((p) => p % shard.count === shard.index) : all;
}
