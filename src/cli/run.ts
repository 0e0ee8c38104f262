// `slicesim run`: simulate scenario files and write summary.csv, timeseries.csv and run.json.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario } from '../scenario/load.js';
import type { Model } from '../scenario/schema.js';
import { withOverrides, type ResolvedScenario } from '../scenario/resolve.js';
import { simulateModel, type ModelRun } from '../simulation.js';
import { traceCsv } from '../report/trace.js';
import { latencyCsv, summaryCsv, summaryRows, summaryTable, timeseriesCsv } from '../report/summary.js';
import { UsageError } from './errors.js';

export interface RunOptions {
  files: string[];
  out?: string;
  seed?: number;
  set: string[];
  models?: string;
  quiet: boolean;
  /** Write trace.csv: every pod transition and endpoint-object write. */
  trace?: boolean;
}

export const VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

function parseModels(list: string | undefined): Model[] | undefined {
  if (list === undefined) return undefined;
  const models = list.split(',').map((m) => m.trim());
  for (const m of models) if (m !== 'endpoints' && m !== 'endpointslices') throw new UsageError(`--models: unknown model "${m}"; allowed: endpoints, endpointslices`);
  return models as Model[];
}

/** The result files of one scenario, by file name. */
export function resultFiles(scenario: ResolvedScenario, seed: number, runs: ModelRun[]): Record<string, string> {
  return {
    'summary.csv': summaryCsv(summaryRows(scenario, runs)),
    'timeseries.csv': timeseriesCsv(scenario, runs),
    'latency.csv': latencyCsv(scenario, runs),
    ...(runs.some((r) => r.trace) ? { 'trace.csv': traceCsv(runs) } : {}),
    'run.json': `${JSON.stringify({ program: 'slicesim', version: VERSION, seed, models: runs.map((r) => r.model), egress: Object.fromEntries(runs.map((r) => [r.model, r.egress])), scenario: scenario.source }, null, 2)}\n`,
  };
}

/** Writes the result files into `dir` through a temporary folder, so a folder is never half written. */
function writeResults(dir: string, scenario: ResolvedScenario, seed: number, runs: ModelRun[]): void {
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  for (const [file, text] of Object.entries(resultFiles(scenario, seed, runs))) writeFileSync(join(tmp, file), text);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
}

export function runCommand(opts: RunOptions): void {
  const models = parseModels(opts.models);
  // Every file is validated before anything runs, so bad input writes nothing at all.
  const scenarios = opts.files.map((f) => {
    const s = loadScenario(f, opts.set);
    return withOverrides(s, opts.seed ?? s.seed, models ?? s.models);
  });
  for (const scenario of scenarios) {
    const runs = scenario.models.map((model) => {
      if (!opts.quiet && process.stderr.isTTY) process.stderr.write(`${scenario.name}: simulating ${model}…\n`);
      return simulateModel(scenario, model, scenario.seed, { trace: opts.trace });
    });
    const dir = opts.out ? (scenarios.length > 1 ? join(opts.out, scenario.name) : opts.out) : join('results', scenario.name);
    writeResults(dir, scenario, scenario.seed, runs);
    if (!opts.quiet) process.stdout.write(`${summaryTable(scenario, summaryRows(scenario, runs))}\n\nresults: ${dir}/\n\n`);
  }
}
