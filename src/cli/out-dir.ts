// Writing a result folder safely (SPEC.md "Safety of the command line"): slicesim writes only inside
// the `--out` folder and never deletes what it did not write. A folder that exists is replaced only
// when it is empty or holds a previous slicesim result (its run.json names slicesim) and nothing else.
//
// Nothing is created before the simulation ends: `prepare` only checks (the folder may be replaced,
// its nearest existing parent is a folder this process may write), so Ctrl-C or a kill while
// simulating leaves nothing behind. `save` then, with SIGINT/SIGTERM held back (signals.ts):
//   1. removes stale work folders of dead slicesim runs for the same target (owner.ts proves them ours),
//   2. creates the missing parents and the work folder `.<name>.slicesim-XXXXXX` beside the target,
//      with an owner marker (program, pid, host) so a later run can tell it is ours,
//   3. writes the new files into `new/` inside it (each file synced),
//   4. moves the previous result into `old/` inside it, the new folder to the target, and removes
//      `old/`'s result files and the work folder.
// A write error at any step undoes what this run did (the previous result goes back to its place)
// and is reported as a WriteError: one line naming the file and the error.
import { accessSync, closeSync, constants, fsyncSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, rmdirSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError, WriteError } from './errors.js';
import { OWNER_FILE, ownerRecord, removeStaleWorkFolders, WORK_NEW, WORK_OLD, workFolderPrefix } from './owner.js';
import { withSignalsDeferred } from './signals.js';

/**
 * Files a slicesim result folder may hold besides the ones the current run writes: what this and
 * earlier versions write into a run folder. A folder holding anything else is not replaced.
 */
export const KNOWN_RESULT_FILES: ReadonlySet<string> = new Set([
  'run.json', 'summary.csv', 'timeseries.csv', 'latency.csv', 'report.html', 'perfdata.json', 'trace.csv', 'topology.csv',
  'sweep.csv', 'frontier.csv', 'frontier.svg',
]);

/** Longest file name most file systems take (NAME_MAX); the work folder's name must fit too. */
const NAME_MAX = 255;

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

/** "ENOSPC: no space left on device" from an fs error (without the syscall and path Node appends). */
const errnoText = (e: unknown): string => oneLine(e).replace(/, \w+( '.*')?$/, '');

export function isSlicesimRunJson(path: string): boolean {
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

/** The file operations `save` uses for the new files: a seam for tests that inject write errors (ENOSPC, EDQUOT...). */
export interface ResultIo {
  writeFile(path: string, text: string): void;
}

/** Writes and syncs the file, so the renames that follow never publish a file the disk does not hold. */
export const NODE_IO: ResultIo = {
  writeFile(path, text) {
    const fd = openSync(path, 'wx', 0o666);
    try {
      const bytes = Buffer.from(text, 'utf8');
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  },
};

/**
 * A result folder about to be written: checked by `prepare` (nothing created), written and swapped in
 * by `save` as a whole or not at all.
 */
export class ResultDir {
  readonly dir: string;

  private constructor(
    dir: string,
    private readonly label: string,
    /** Names the folder may hold and be replaced: earlier versions' result files and this run's. */
    private readonly allowed: ReadonlySet<string>,
    private readonly io: ResultIo,
  ) {
    this.dir = resolve(dir);
  }

  /** Checks that `dir` may be written; exits 2 (UsageError) when it must not be. Creates nothing. */
  static prepare(dir: string, label: string, writes: readonly string[], io: ResultIo = NODE_IO): ResultDir {
    const r = new ResultDir(dir, label, new Set([...KNOWN_RESULT_FILES, ...writes]), io);
    if (r.dir === dirname(r.dir)) throw new UsageError(`${label} ${dir}: is the root folder; choose a new folder for the results`);
    const reason = refusalReason(r.dir, writes);
    if (reason) throw new UsageError(`${label} ${dir}: ${reason}`);
    if (Buffer.byteLength(`${workFolderPrefix(r.dir)}XXXXXX`) > NAME_MAX) {
      throw new UsageError(`${label} ${dir}: the folder name is too long (at most ${NAME_MAX - Buffer.byteLength(workFolderPrefix('')) - 6} bytes)`);
    }
    const parent = nearestExisting(dirname(r.dir));
    try {
      // A parent may be a symbolic link to a folder (as /tmp often is); only the target itself may not.
      if (!statSync(parent).isDirectory()) throw new UsageError(`${label} ${dir}: ${parent} is not a folder`);
      accessSync(parent, constants.W_OK | constants.X_OK);
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`${label} ${dir}: cannot write there: ${oneLine(e)}`);
    }
    return r;
  }

  /** Writes `files` and swaps them in, with Ctrl-C held back meanwhile; a failure throws WriteError. */
  save(files: Record<string, string>): Promise<void> {
    return withSignalsDeferred(() => this.writeAndSwap(files));
  }

  /** The whole write, synchronously: see the steps at the top of the file. */
  writeAndSwap(files: Record<string, string>): void {
    const reason = refusalReason(this.dir, [...this.allowed]);
    if (reason) throw new UsageError(`${this.label} ${this.dir}: ${reason} (it changed while simulating); nothing was written`);
    const removed = removeStaleWorkFolders(this.dir, this.allowed);
    for (const note of removed.kept) process.stderr.write(`slicesim: ${note}\n`);
    const created: string[] = [];
    let work: string | undefined;
    let step = this.dir;
    let moved = false;
    try {
      makeParents(dirname(this.dir), created);
      step = dirname(this.dir);
      work = mkdtempSync(workFolderPrefix(this.dir));
      step = join(work, OWNER_FILE);
      this.io.writeFile(step, ownerRecord(this.dir));
      step = join(work, WORK_NEW);
      mkdirSync(step);
      for (const [name, text] of Object.entries(files)) {
        // Named as the user will see it; the file is written beside it first.
        step = join(this.dir, name);
        this.io.writeFile(join(work, WORK_NEW, name), text);
      }
      step = this.dir;
      if (lstatOrUndefined(this.dir)) {
        renameSync(this.dir, join(work, WORK_OLD));
        moved = true;
      }
      renameSync(join(work, WORK_NEW), this.dir);
      moved = false;
      syncFolder(dirname(this.dir));
    } catch (e) {
      const undo = this.undo(work, moved, Object.keys(files), created);
      throw new WriteError(`cannot write ${step}: ${errnoText(e)}; ${undo}`);
    }
    this.finish(work);
  }

  /** After the swap: the previous result's files go, then the work folder. */
  private finish(work: string): void {
    const old = join(work, WORK_OLD);
    let left: string | undefined;
    if (lstatOrUndefined(old)) {
      // Only the files checked above; a folder that gained others meanwhile is left in place.
      for (const f of readdirSync(old)) if (this.allowed.has(f)) unlinkSync(join(old, f));
      try {
        rmdirSync(old);
      } catch {
        left = old;
      }
    }
    if (left) {
      process.stderr.write(`slicesim: left the previous results' other files in ${left}\n`);
      return;
    }
    unlinkSync(join(work, OWNER_FILE));
    rmdirSync(work);
  }

  /** Undoes a failed save: the previous result back in place, this run's files and folders removed. */
  private undo(work: string | undefined, moved: boolean, names: readonly string[], created: readonly string[]): string {
    let problem: string | undefined;
    if (work && moved) {
      try {
        renameSync(join(work, WORK_OLD), this.dir);
      } catch (e) {
        problem = oneLine(e);
      }
    }
    if (work && !problem) problem = removeWork(work, names);
    for (const d of created) {
      try {
        rmdirSync(d);
      } catch {
        break;
      }
    }
    if (problem) return `could not clean up ${work} (${problem}); a later run removes it`;
    return moved || lstatOrUndefined(this.dir) ? 'the previous results are unchanged' : 'nothing was written';
  }
}

/**
 * `slicesim report`: replaces `files` inside the existing folder `dir`, each file whole (written into
 * a work folder beside `dir` as `save` does, then renamed over the old one), with Ctrl-C held back;
 * the folder's other files stay. A failure throws WriteError and leaves the work folder removed.
 */
export function replaceFiles(dir: string, files: Record<string, string>, io: ResultIo = NODE_IO): Promise<void> {
  return withSignalsDeferred(() => replaceFilesNow(dir, files, io));
}

/** The synchronous part of `replaceFiles` (tests call it directly). */
export function replaceFilesNow(dir: string, files: Record<string, string>, io: ResultIo = NODE_IO): void {
  // The folder itself, not a link to it: the work folder must be on the same file system for the renames.
  const real = realpathSync(dir);
  for (const note of removeStaleWorkFolders(real, KNOWN_RESULT_FILES).kept) process.stderr.write(`slicesim: ${note}\n`);
  const names = Object.keys(files);
  let work: string | undefined;
  let step = real;
  let replaced = 0;
  try {
    work = mkdtempSync(workFolderPrefix(real));
    step = join(work, OWNER_FILE);
    io.writeFile(step, ownerRecord(real));
    mkdirSync(join(work, WORK_NEW));
    for (const name of names) {
      step = join(real, name);
      io.writeFile(join(work, WORK_NEW, name), files[name]);
    }
    for (const name of names) {
      step = join(real, name);
      renameSync(join(work, WORK_NEW, name), join(real, name));
      replaced++;
    }
    syncFolder(real);
  } catch (e) {
    const left = work ? removeWork(work, names) : undefined;
    const done = replaced ? `${names.slice(0, replaced).join(', ')} replaced, the rest unchanged` : 'the folder is unchanged';
    throw new WriteError(`cannot write ${step}: ${errnoText(e)}; ${done}${left ? `; could not clean up ${work} (${left})` : ''}`);
  }
  removeWork(work, []);
}

/** Removes a work folder this process made: `names` in new/, new/, the marker, the folder. The first problem, if any. */
function removeWork(work: string, names: readonly string[]): string | undefined {
  for (const step of [...names.map((n) => () => unlinkSync(join(work, WORK_NEW, n))), () => rmdirSync(join(work, WORK_NEW)), () => unlinkSync(join(work, OWNER_FILE)), () => rmdirSync(work)]) {
    try {
      step();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return oneLine(e);
    }
  }
  return undefined;
}

/** The path itself, or its nearest ancestor that exists. */
function nearestExisting(path: string): string {
  let p = path;
  while (!lstatOrUndefined(p) && dirname(p) !== p) p = dirname(p);
  return p;
}

/** Creates the missing folders of `dir`, recording each (deepest first) in `created`. */
function makeParents(dir: string, created: string[]): void {
  if (lstatOrUndefined(dir)) {
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error(`ENOTDIR: not a folder, mkdir '${dir}'`), { code: 'ENOTDIR' });
    return;
  }
  makeParents(dirname(dir), created);
  mkdirSync(dir);
  created.unshift(dir);
}

/** Makes a rename in `dir` durable (best effort: some file systems refuse fsync on a folder). */
function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // EINVAL/EISDIR on file systems without folder fsync: the rename itself is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
