// `slicesim report DIR…`: rebuild report.html (and perfdata.json for a run) from the files already in a
// result folder, e.g. one written by an older version, or a sweep folder after editing nothing but
// the program. Reads only the folder's own files and replaces only those two files in it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './errors.js';
import { replaceFiles } from './out-dir.js';
import { derivedFiles } from '../report/derived.js';
import { sweepReportFiles } from '../sweep/files.js';

const readIf = (dir: string, name: string): string | undefined => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : undefined);

export async function reportCommand(dirs: string[], quiet: boolean): Promise<void> {
  const plans = dirs.map((dir) => {
    const runJson = readIf(dir, 'run.json');
    let program: unknown;
    try {
      program = runJson && (JSON.parse(runJson) as { program?: unknown }).program;
    } catch {
      program = undefined;
    }
    if (program !== 'slicesim') throw new UsageError(`${dir}: not a slicesim result folder (no run.json naming slicesim); give a folder written by slicesim run, sweep or merge`);
    const sweep = readIf(dir, 'sweep.csv');
    if (sweep !== undefined) return { dir, files: sweepReportFiles(sweep, runJson!) };
    const summary = readIf(dir, 'summary.csv');
    if (summary === undefined) throw new UsageError(`${dir}: has run.json but no summary.csv or sweep.csv to build a report from`);
    return { dir, files: derivedFiles({ 'summary.csv': summary, 'timeseries.csv': readIf(dir, 'timeseries.csv'), 'latency.csv': readIf(dir, 'latency.csv'), 'topology.csv': readIf(dir, 'topology.csv'), 'run.json': runJson }) };
  });
  for (const { dir, files } of plans) {
    // Each file replaced whole (a kill or a full disk never leaves half a report.html).
    await replaceFiles(dir, files);
    if (!quiet) process.stdout.write(`${Object.keys(files).map((f) => join(dir, f)).join('\n')}\n`);
  }
}
