// `slicesim run`: simulate scenario files and write summary.csv, timeseries.csv and run.json.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario } from '../scenario/load.js';
import type { Model } from '../scenario/schema.js';
import { withOverrides, type ResolvedScenario } from '../scenario/resolve.js';
import { simulateModel, type ModelRun } from '../simulation.js';
import { latencyCsv, summaryCsv, summaryRows, timeseriesCsv } from '../report/summary.js';
import { summaryTable, upToDateAtPhaseEnd } from '../report/summary-table.js';
import { toSeconds } from '../engine/time.js';
import { Progress } from './progress.js';
import { UsageError } from './errors.js';
import { runReportHtml, type RunFiles } from '../report/html/run-report.js';
import { perfdataJson } from '../report/perfdata.js';
import { topologyCsv } from '../report/topology.js';

export interface RunOptions {
  files: string[];
  out?: string;
  seed?: number;
  set: string[];
  models?: string;
  quiet: boolean;
}

export const VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

export function parseModels(list: string | undefined): Model[] | undefined {
  if (list === undefined) return undefined;
  const models = list.split(',').map((m) => m.trim());
  for (const m of models) if (m !== 'endpoints' && m !== 'endpointslices') throw new UsageError(`--models: unknown model "${m}"; allowed: endpoints, endpointslices`);
  return models as Model[];
}

/** The result files of one scenario, by file name. */
export function resultFiles(scenario: ResolvedScenario, seed: number, runs: ModelRun[]): Record<string, string> {
  const files = {
    'summary.csv': summaryCsv(summaryRows(scenario, runs)),
    'timeseries.csv': timeseriesCsv(scenario, runs),
    'latency.csv': latencyCsv(scenario, runs),
    ...(runs.some((r) => r.traffic) ? { 'topology.csv': topologyCsv(scenario.name, runs) } : {}),
    'run.json': `${JSON.stringify({ program: 'slicesim', version: VERSION, seed, models: runs.map((r) => r.model), egress: Object.fromEntries(runs.map((r) => [r.model, r.egress])), scenario: scenario.source }, null, 2)}\n`,
  };
  // The report and perfdata are built from the files above only, as `slicesim report` rebuilds them.
  return { ...files, ...derivedFiles(files) };
}

/** report.html and perfdata.json from a run folder's CSV and JSON files. */
export function derivedFiles(files: RunFiles): Record<string, string> {
  return { 'report.html': runReportHtml(files), 'perfdata.json': perfdataJson(files['summary.csv'], files['latency.csv']) };
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
    const progress = new Progress(opts.quiet);
    const steps = ['initial', ...scenario.workload.map((w) => w.name)];
    const runs = scenario.models.map((model, i) =>
      simulateModel(scenario, model, scenario.seed, (now, phase) => {
        const fraction = (i + (steps.indexOf(phase) + 1) / (steps.length + 1)) / scenario.models.length;
        progress.update(`${scenario.name} · ${model} (${i + 1}/${scenario.models.length}) · simulated ${clock(toSeconds(now))} · phase ${phase}`, fraction);
      }),
    );
    progress.clear();
    const dir = opts.out ? (scenarios.length > 1 ? join(opts.out, scenario.name) : opts.out) : join('results', scenario.name);
    writeResults(dir, scenario, scenario.seed, runs);
    if (!opts.quiet) process.stdout.write(`${summaryTable(scenario, summaryRows(scenario, runs), upToDateAtPhaseEnd(runs))}\n\nresults: ${dir}/ (report.html: charts of both models)\n\n`);
  }
}

/** Simulated time as 1h02m03s / 2m03s / 3.5s. */
function clock(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h ? `${h}h${String(m).padStart(2, '0')}m${String(Math.floor(s)).padStart(2, '0')}s` : m ? `${m}m${String(Math.floor(s)).padStart(2, '0')}s` : `${Number(s.toFixed(1))}s`;
}
