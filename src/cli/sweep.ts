// `slicesim sweep FILE --grid key=v1,v2,… [--grid …] [--shard I/N] [--jobs K] [--out DIR]`: every
// combination of the grid values, simulated on K worker threads, into one sweep.csv and report.html.
// Every point of the shard is validated before anything runs, so bad input exits 2 and writes nothing.
import { availableParallelism } from 'node:os';
import { ScenarioError } from '../scenario/load.js';
import { parseGrid, parseShard, pointCount, pointSets, pointValues, shardPoints } from '../sweep/grid.js';
import { loadPoint, type PointJob } from '../sweep/point.js';
import { PointError, runPoints } from '../sweep/pool.js';
import { resultRows, sweepFiles, type SweepMeta } from '../sweep/files.js';
import { frontierText } from '../sweep/frontier-text.js';
import { UsageError } from './errors.js';
import { parseModels, VERSION } from './run.js';
import { checkOutFolder, defaultSweepDir, prepareFolder, SWEEP_FILES } from './write-folder.js';
import { Progress } from './progress.js';

export interface SweepOptions {
  file: string;
  grid: string[];
  shard?: string;
  out?: string;
  jobs?: number;
  set: string[];
  seed?: number;
  models?: string;
  quiet: boolean;
  /** Validate every point and list them; simulate and write nothing. */
  dryRun?: boolean;
}

export async function sweepCommand(opts: SweepOptions): Promise<void> {
  const grid = parseGrid(opts.grid);
  const shard = parseShard(opts.shard);
  const models = parseModels(opts.models);
  const threads = opts.jobs ?? availableParallelism();
  if (!Number.isInteger(threads) || threads < 1) throw new UsageError(`--jobs ${opts.jobs}: expected a whole number of worker threads, at least 1`);
  if (opts.file === '-' || opts.file === '') throw new UsageError('sweep: give the scenario as a file (each worker thread reads it), not -');
  const base = loadPoint({ file: opts.file, sets: opts.set, seed: opts.seed, models });
  const total = pointCount(grid);
  const jobs: PointJob[] = shardPoints(total, shard).map((point) => ({ point, file: opts.file, sets: [...opts.set, ...pointSets(grid, point)], seed: base.seed, models: base.models }));
  for (const job of jobs) {
    try {
      loadPoint(job);
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      const at = pointValues(grid, job.point).map((v, i) => `${grid[i].key}=${v}`).join(', ');
      throw new ScenarioError(e.problems.map((p) => `grid point ${job.point} (${at}): ${p}`));
    }
  }
  const whole = defaultSweepDir(base.name, { grid, set: opts.set, seed: base.seed, models: base.models });
  const out = opts.out ?? (shard ? `${whole}-shard-${shard.index}-of-${shard.count}` : whole);
  checkOutFolder(out, SWEEP_FILES);
  if (opts.dryRun) {
    const lines = jobs.map((j) => `${j.point}\t${pointValues(grid, j.point).map((v, i) => `${grid[i].key}=${v}`).join(' ')}`);
    process.stdout.write(`${lines.join('\n')}\n${jobs.length} of ${total} points valid; would write ${out}/\n`);
    return;
  }

  const target = prepareFolder(out, SWEEP_FILES);
  const progress = new Progress(opts.quiet);
  const started = Date.now();
  let results;
  try {
    results = await runPoints(jobs, threads, (done) => progress.update(`sweep ${base.name}: ${done}/${jobs.length} points`, done / jobs.length));
  } catch (e) {
    progress.clear();
    if (e instanceof PointError) {
      const at = pointValues(grid, e.point).map((v, i) => `${grid[i].key}=${v}`).join(', ');
      throw new Error(`grid point ${e.point} (${at}): ${e.message}`);
    }
    throw e;
  }
  progress.clear();
  const { columns, rows } = resultRows(grid, results);
  const meta: SweepMeta = {
    program: 'slicesim', version: VERSION, kind: 'sweep', file: opts.file, set: opts.set, seed: base.seed, models: base.models,
    grid, points: total, ...(shard ? { shard } : {}), scenario: base.source,
  };
  const files = sweepFiles(meta, columns, rows);
  await target.save(files);
  if (!opts.quiet) {
    process.stdout.write(`${frontierText(files['sweep.csv'], meta)}${jobs.length} points × ${base.models.length} models in ${((Date.now() - started) / 1000).toFixed(1)} s on ${Math.min(threads, jobs.length)} threads\nresults: ${out}/ (sweep.csv, report.html)\n`);
  }
}
