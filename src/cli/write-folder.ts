// Writing a sweep, merge or frontier folder with the same rules as `run` (out-dir.ts, SPEC.md "Safety
// of the command line"): an existing folder is replaced only when it is empty or holds a previous
// slicesim result and nothing else; the new folder is complete before it replaces the old one.
import { refusalReason, ResultDir } from './out-dir.js';
import { UsageError } from './errors.js';

/** Refuses (exit 2) a folder that must not be replaced, before any work is done. */
export function checkOutFolder(dir: string, label = '--out'): void {
  const reason = refusalReason(dir);
  if (reason) throw new UsageError(`${label} ${dir}: ${reason}`);
}

export function writeFolder(dir: string, files: Record<string, string>, label = '--out'): void {
  const out = ResultDir.prepare(dir, label, Object.keys(files));
  try {
    out.write(files);
    out.commit();
  } catch (e) {
    out.abandon();
    throw e;
  }
}
