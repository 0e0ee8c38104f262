// Writing a sweep, merge or frontier folder through the safe result folder (out-dir.ts, SPEC.md
// "Safety of the command line"): an existing folder is replaced only when it holds a previous slicesim
// result and nothing else, atomically; and the default folder of a sweep is named after what was
// swept, so a sweep never replaces the committed one it did not reproduce.
import { join } from 'node:path';
import { ResultDir, refusalReason } from './out-dir.js';
import { overridesHash } from './flags.js';
import { UsageError } from './errors.js';
import type { GridKey } from '../sweep/grid.js';

export const SWEEP_FILES = ['sweep.csv', 'run.json', 'report.html'];

/** Checks that `dir` may be written, without creating anything (for --dry-run). */
export function checkOutFolder(dir: string, writes: readonly string[]): void {
  const reason = refusalReason(dir, writes);
  if (reason) throw new UsageError(`--out ${dir}: ${reason}`);
}

export function prepareFolder(dir: string, writes: readonly string[]): ResultDir {
  return ResultDir.prepare(dir, '--out', writes);
}

export function writeFolder(dir: string, files: Record<string, string>): Promise<void> {
  return prepareFolder(dir, Object.keys(files)).save(files);
}

/** results/sweeps/<name>-<hash of grid, --set, seed and models>: one folder per distinct sweep. */
export function defaultSweepDir(name: string, sweep: { grid: readonly GridKey[]; set: readonly string[]; seed: number; models: readonly string[] }): string {
  return join('results', 'sweeps', `${name}-${overridesHash({ grid: sweep.grid, set: sweep.set, seed: sweep.seed, models: sweep.models })}`);
}
