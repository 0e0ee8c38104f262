// Writing a sweep, merge or frontier folder. Interim version of the SPEC's --out rules
// (issue 8 owns the shared writer): an existing folder is replaced only when it holds a previous
// slicesim result (run.json naming slicesim); the new folder is complete before it replaces the old.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from './errors.js';

export function checkOutFolder(dir: string, label = '--out'): void {
  const abs = resolve(dir);
  if (!existsSync(abs)) return;
  let entries: string[];
  try {
    entries = readdirSync(abs);
  } catch {
    throw new UsageError(`${label} ${dir}: exists and is not a readable folder`);
  }
  if (!entries.length) return;
  let program: unknown;
  try {
    program = (JSON.parse(readFileSync(join(abs, 'run.json'), 'utf8')) as { program?: unknown }).program;
  } catch {
    program = undefined;
  }
  if (program !== 'slicesim') throw new UsageError(`${label} ${dir}: exists and holds files that are not a slicesim result; choose another folder`);
}

export function writeFolder(dir: string, files: Record<string, string>, label = '--out'): void {
  checkOutFolder(dir, label);
  const abs = resolve(dir);
  const tmp = join(dirname(abs), `.${basename(abs)}.slicesim-${process.pid}.tmp`);
  mkdirSync(tmp, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(tmp, name), text);
  const old = `${tmp}.old`;
  if (existsSync(abs)) renameSync(abs, old);
  renameSync(tmp, abs);
  rmSync(old, { recursive: true, force: true });
}
