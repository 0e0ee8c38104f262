// Writing a result folder safely (SPEC.md "Safety of the command line"): slicesim writes only inside
// the `--out` folder and never deletes what it did not write. A folder that exists is replaced only
// when it is empty or holds a previous slicesim result (its run.json names slicesim) and nothing else.
// The new files are written complete into a sibling folder first, then swapped in by renames.
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, unlinkSync, writeFileSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from './errors.js';

/**
 * Files a slicesim result folder may hold besides the ones the current run writes: what this and
 * earlier versions write into a run folder. A folder holding anything else is not replaced.
 */
export const KNOWN_RESULT_FILES: ReadonlySet<string> = new Set([
  'run.json', 'summary.csv', 'timeseries.csv', 'latency.csv', 'report.html', 'perfdata.json', 'trace.csv', 'topology.csv',
  'sweep.csv', 'frontier.csv', 'frontier.svg',
]);

const lstatOrUndefined = (path: string): Stats | undefined => {
  try {
    return lstatSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new UsageError(`${path}: ${code === 'ENOTDIR' ? 'a part of this path is a file, not a folder' : `cannot be read: ${oneLine(e)}`}`);
  }
};

/** An fs error as one line: "permission denied, mkdir '/x'" without the stack. */
export const oneLine = (e: unknown): string => String((e as Error)?.message ?? e).split('\n')[0];

function isSlicesimRunJson(path: string): boolean {
  try {
    const run = JSON.parse(readFileSync(path, 'utf8')) as { program?: unknown };
    return run?.program === 'slicesim';
  } catch {
    return false;
  }
}

/**
 * Why `dir` may not be replaced by a result folder, or undefined when it may: it does not exist, is
 * empty, or holds a previous slicesim result and nothing else. `writes` are the names about to be written.
 */
export function refusalReason(dir: string, writes: readonly string[] = []): string | undefined {
  const st = lstatOrUndefined(dir);
  if (!st) return undefined;
  if (st.isSymbolicLink()) return 'is a symbolic link; give the folder it points to, or a new path';
  if (!st.isDirectory()) return 'exists and is not a folder';
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (e) {
    return `cannot be read: ${oneLine(e)}`;
  }
  if (entries.length === 0) return undefined;
  if (!entries.includes('run.json') || !isSlicesimRunJson(join(dir, 'run.json'))) {
    return 'exists and holds files that are not a slicesim result (no run.json naming slicesim); slicesim replaces only a folder holding a previous result';
  }
  const allowed = new Set([...KNOWN_RESULT_FILES, ...writes]);
  const others = entries.filter((e) => !allowed.has(e) || !lstatSync(join(dir, e)).isFile());
  if (others.length) {
    return `holds a previous slicesim result but also ${others.slice(0, 5).map((o) => JSON.stringify(o)).join(', ')}${others.length > 5 ? ` and ${others.length - 5} more` : ''}; move them away or choose another --out`;
  }
  return undefined;
}

/**
 * A result folder being prepared: the sibling temporary folder exists from `prepare` on (so an
 * unwritable location fails before simulating), holds the files after `write`, and replaces the
 * target on `commit`. `abandon` removes only what was created here.
 */
export class ResultDir {
  readonly dir: string;
  private tmp: string | undefined;
  /** Ancestor folders this run created, deepest first, removed again if the run is abandoned. */
  private readonly created: string[] = [];

  private constructor(
    dir: string,
    /** Names the folder may hold and be replaced: earlier versions' result files and this run's. */
    private readonly allowed: ReadonlySet<string>,
  ) {
    this.dir = resolve(dir);
  }

  /** Checks `dir` and creates the temporary sibling; exits 2 (UsageError) when it must not be written. */
  static prepare(dir: string, label: string, writes: readonly string[]): ResultDir {
    const r = new ResultDir(dir, new Set([...KNOWN_RESULT_FILES, ...writes]));
    if (r.dir === dirname(r.dir)) throw new UsageError(`${label} ${dir}: is the root folder; choose a new folder for the results`);
    const reason = refusalReason(r.dir, writes);
    if (reason) throw new UsageError(`${label} ${dir}: ${reason}`);
    try {
      r.makeParents(dirname(r.dir));
      r.tmp = mkdtempSync(join(dirname(r.dir), `.${basename(r.dir)}.slicesim-`));
    } catch (e) {
      r.abandon();
      if (e instanceof UsageError) throw e;
      throw new UsageError(`${label} ${dir}: cannot write there: ${oneLine(e)}`);
    }
    return r;
  }

  private makeParents(dir: string): void {
    if (lstatOrUndefined(dir)) {
      // A parent may be a symbolic link to a folder (as /tmp often is); only the target itself may not.
      if (!statSync(dir).isDirectory()) throw new UsageError(`${dir}: is not a folder`);
      return;
    }
    this.makeParents(dirname(dir));
    mkdirSync(dir);
    this.created.unshift(dir);
  }

  write(files: Record<string, string>): void {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(this.tmp!, name), text);
  }

  /** Swaps the new folder in. The old result (checked again) is moved aside first, then its files removed. */
  commit(): void {
    const tmp = this.tmp!;
    const reason = refusalReason(this.dir, [...this.allowed]);
    if (reason) throw new UsageError(`${this.dir}: ${reason} (it changed while simulating); the new results are in ${tmp}`);
    const old = lstatOrUndefined(this.dir) ? `${tmp}.old` : undefined;
    if (old) renameSync(this.dir, old);
    try {
      renameSync(tmp, this.dir);
      this.tmp = undefined;
      this.created.length = 0;
    } catch (e) {
      if (old) renameSync(old, this.dir);
      throw e;
    }
    // Only the files checked above; a folder that gained others meanwhile is left in place.
    if (old) {
      for (const f of readdirSync(old)) if (this.allowed.has(f)) unlinkSync(join(old, f));
      try {
        rmdirSync(old);
      } catch {
        process.stderr.write(`slicesim: left the previous results' other files in ${old}\n`);
      }
    }
  }

  /** Removes the temporary folder and any parent folders this run created. */
  abandon(): void {
    // Only the temporary folder made by mkdtemp here, holding only files written here.
    if (this.tmp) rmSync(this.tmp, { recursive: true, force: true });
    this.tmp = undefined;
    for (const d of this.created) {
      try {
        rmdirSync(d);
      } catch {
        break;
      }
    }
  }
}
