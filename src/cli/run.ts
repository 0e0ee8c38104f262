// `slicesim run`: simulate scenario files and write summary.csv, timeseries.csv and run.json.
import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { join } from 'node:path';
import { loadScenario } from '../scenario/load.js';
import { withOverrides, type ResolvedScenario } from '../scenario/resolve.js';
import type { ModelRun } from '../simulation.js';
import { modelThreads, simulateModels } from '../threads/run-models.js';
import { traceCsv } from '../report/trace.js';
import { latencyCsv, summaryCsv, summaryRows, timeseriesCsv } from '../report/summary.js';
import { summaryTable, upToDateAtPhaseEnd } from '../report/summary-table.js';
import { toSeconds } from '../engine/time.js';
import { Progress } from './progress.js';
import { UsageError } from './errors.js';
import { overridesHash, parseModels, parseSeed } from './flags.js';
import { ResultDir } from './out-dir.js';
import { ensureHeap } from './heap.js';
import { estimateMemory } from '../scenario/limits.js';
import { derivedFiles } from '../report/derived.js';
import { topologyCsv } from '../report/topology.js';

export interface RunOptions {
  files: string[];
  out?: string;
  /** As given on the command line: checked here (an integer, once). */
  seed?: unknown;
  set: string[];
  models?: unknown;
  quiet: boolean;
  /** Write trace.csv: every pod transition and endpoint-object write. */
  trace?: boolean;
  /** Models simulated at once (worker threads); default one: side by side holds every model's heap at once. */
  jobs?: number;
}

export { VERSION } from './version.js';
import { VERSION } from './version.js';

export { parseModels } from './flags.js';

/** The result files of one scenario, by file name. */
export function resultFiles(scenario: ResolvedScenario, seed: number, runs: ModelRun[]): Record<string, string> {
  const files = {
    'summary.csv': summaryCsv(summaryRows(scenario, runs)),
    'timeseries.csv': timeseriesCsv(scenario, runs),
    'latency.csv': latencyCsv(scenario, runs),
    ...(runs.some((r) => r.traffic) ? { 'topology.csv': topologyCsv(scenario.name, runs) } : {}),
    ...(runs.some((r) => r.trace) ? { 'trace.csv': traceCsv(runs) } : {}),
    'run.json': `${JSON.stringify({ program: 'slicesim', version: VERSION, seed, models: runs.map((r) => r.model), egress: Object.fromEntries(runs.map((r) => [r.model, r.egress])), scenario: scenario.source }, null, 2)}\n`,
  };
  // The report and perfdata are built from the files above only, as `slicesim report` rebuilds them.
  return { ...files, ...derivedFiles(files) };
}

export { derivedFiles } from '../report/derived.js';

/**
 * The folder of each scenario's results: `--out` (a folder per scenario inside it when there are
 * several), else results/<name>/; a run that is not the scenario as written (--set, --seed or --models)
 * goes to results/<name>-<hash of the overrides>/ so it never replaces the committed results.
 */
function resultDirs(opts: RunOptions, names: string[]): string[] {
  const overrides = { set: opts.set, seed: opts.seed, models: opts.models };
  const changed = opts.set.length > 0 || opts.seed !== undefined || opts.models !== undefined;
  return names.map((name) => {
    if (opts.out !== undefined) return names.length > 1 ? join(opts.out, name) : opts.out;
    return join('results', changed ? `${name}-${overridesHash(overrides)}` : name);
  });
}

export async function runCommand(opts: RunOptions): Promise<void> {
  const models = parseModels(opts.models);
  const seed = parseSeed(opts.seed);
  if (opts.out === '') throw new UsageError('--out: expected a folder path');
  // Every file is validated, and every output folder checked, before anything runs: bad input writes nothing.
  const scenarios = opts.files.map((f) => {
    const s = loadScenario(f, opts.set);
    return withOverrides(s, seed ?? s.seed, models ?? s.models);
  });
  // How many models each scenario runs at once, and what one model of it needs (limits.ts).
  const threads = scenarios.map((s) => modelThreads(s.models.length, opts.jobs));
  const estimates = scenarios.map((s) => estimateMemory(s.source));
  // Side by side, every model's heap is held at once: refused before anything runs when the machine cannot hold them.
  for (const [k, n] of threads.entries()) {
    const need = n * estimates[k];
    if (n > 1 && need > totalmem() * 0.8) {
      throw new UsageError(`--jobs ${opts.jobs}: ${opts.files[k]} would need about ${(need / 2 ** 30).toFixed(1)} GB with ${n} models side by side; this machine has ${(totalmem() / 2 ** 30).toFixed(1)} GB: use --jobs 1`);
    }
  }
  // Before anything is written: a run needing more heap than Node's default goes on in a child with more.
  await ensureHeap(Math.max(0, ...estimates), opts.files.includes('-'));
  const names = scenarios.map((s) => s.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new UsageError(`${opts.files[names.indexOf(twice)]} and ${opts.files[names.lastIndexOf(twice)]} both name scenario "${twice}"; their results would share a folder`);
  const dirs = resultDirs(opts, names);
  // Checks only: nothing is created until a scenario's results are complete (out-dir.ts).
  const prepared = dirs.map((dir) => ResultDir.prepare(dir, opts.out !== undefined ? '--out' : 'results folder', []));
  for (const [k, scenario] of scenarios.entries()) {
    const progress = new Progress(opts.quiet);
    const steps = ['initial', ...scenario.workload.map((w) => w.name)];
    const sideBySide = threads[k] > 1;
    const runs = await simulateModels(scenario, threads[k], { trace: opts.trace }, (i, model) => {
      // Side by side, the model on this thread stands for all (worker threads cannot reach the terminal).
      const label = sideBySide ? `${scenario.models.join(' + ')} side by side` : `${model} (${i + 1}/${scenario.models.length})`;
      return (now, phase) => {
        const fraction = ((sideBySide ? 0 : i) + (steps.indexOf(phase) + 1) / (steps.length + 1)) / (sideBySide ? 1 : scenario.models.length);
        progress.update(`${scenario.name} · ${label} · simulated ${clock(toSeconds(now))} · phase ${phase}`, fraction);
      };
    });
    progress.clear();
    await prepared[k].save(resultFiles(scenario, scenario.seed, runs));
    if (!opts.quiet) process.stdout.write(`${summaryTable(scenario, summaryRows(scenario, runs), upToDateAtPhaseEnd(runs))}

results: ${dirs[k]}/ (report.html: charts of both models)

`);
  }
}

/** Simulated time as 1h02m03s / 2m03s / 3.5s. */
function clock(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h ? `${h}h${String(m).padStart(2, '0')}m${String(Math.floor(s)).padStart(2, '0')}s` : m ? `${m}m${String(Math.floor(s)).padStart(2, '0')}s` : `${Number(s.toFixed(1))}s`;
}
