// Work folders of a result being written (out-dir.ts) and how a later run proves one is a stale
// leftover of slicesim before removing it: slicesim never deletes what it did not write, so a folder
// is removed only when all of these hold:
// - its name is exactly `.<target name>.slicesim-` and mkdtemp's six letters or digits, beside the target;
// - it is a real folder (not a link) of this user, holding an owner marker written by slicesim that
//   names this target, this host and a process id that is no longer running;
// - it holds nothing but the marker and the folders `new/` and `old/`, each holding only result files.
// A leftover whose target is missing while `old/` holds a previous result (a kill between the two
// renames of the swap) gets that result put back in place rather than removed.
import { hostname } from 'node:os';
import { lstatSync, readdirSync, readFileSync, renameSync, rmdirSync, unlinkSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export const OWNER_FILE = '.slicesim-owner';
export const WORK_NEW = 'new';
export const WORK_OLD = 'old';

/** `<parent>/.<name>.slicesim-`: mkdtemp appends six characters. */
export const workFolderPrefix = (target: string): string => join(dirname(resolve(target)), `.${basename(resolve(target))}.slicesim-`);

interface OwnerRecord {
  program: 'slicesim';
  pid: number;
  host: string;
  target: string;
}

/** The marker's text: who writes this folder, for which target. */
export function ownerRecord(target: string): string {
  const record: OwnerRecord = { program: 'slicesim', pid: process.pid, host: hostname(), target: resolve(target) };
  return `${JSON.stringify(record)}\n`;
}

/** Whether process `pid` exists (EPERM: it does, owned by someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

const lstatOr = (path: string) => {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
};

const ownUser = (uid: number) => process.getuid === undefined || uid === process.getuid();

/** Why the folder is not provably a dead slicesim run's work folder for `target`, or undefined when it is. */
export function staleReason(work: string, target: string, resultFiles: ReadonlySet<string>): string | undefined {
  const st = lstatOr(work);
  if (!st?.isDirectory() || !ownUser(st.uid)) return 'not a folder of this user';
  const marker = lstatOr(join(work, OWNER_FILE));
  if (!marker?.isFile()) return 'no slicesim owner marker';
  let owner: Partial<OwnerRecord>;
  try {
    owner = JSON.parse(readFileSync(join(work, OWNER_FILE), 'utf8')) as Partial<OwnerRecord>;
  } catch {
    return 'an unreadable owner marker';
  }
  if (owner?.program !== 'slicesim' || owner.target !== resolve(target)) return 'a marker naming another program or folder';
  if (owner.host !== hostname()) return `written on host ${String(owner.host)}, whose processes cannot be checked from here`;
  if (!Number.isInteger(owner.pid) || (owner.pid as number) <= 0) return 'a marker without a process id';
  if (owner.pid === process.pid || processAlive(owner.pid as number)) return 'its process is still running';
  for (const entry of readdirSync(work)) {
    if (entry === OWNER_FILE) continue;
    if (entry !== WORK_NEW && entry !== WORK_OLD) return `it holds ${JSON.stringify(entry)}, which slicesim does not write`;
    const sub = join(work, entry);
    const sst = lstatOr(sub);
    if (!sst?.isDirectory() || !ownUser(sst.uid)) return `${entry} is not a folder of this user`;
    for (const f of readdirSync(sub)) {
      if (!resultFiles.has(f) || !lstatOr(join(sub, f))?.isFile()) return `${entry}/ holds ${JSON.stringify(f)}, which slicesim does not write`;
    }
  }
  return undefined;
}

/**
 * Removes the work folders that dead slicesim runs left beside `target` (see the top of the file).
 * Returns what was removed or restored, and a note for each folder that looks like one by its name
 * but is kept (so the user knows why it stays).
 */
export function removeStaleWorkFolders(target: string, resultFiles: ReadonlySet<string>): { removed: string[]; kept: string[] } {
  const prefix = basename(workFolderPrefix(target));
  const parent = dirname(resolve(target));
  const removed: string[] = [];
  const kept: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return { removed, kept };
  }
  for (const name of entries) {
    if (!name.startsWith(prefix) || !/^[A-Za-z0-9]{6}$/.test(name.slice(prefix.length))) continue;
    const work = join(parent, name);
    const reason = staleReason(work, target, resultFiles);
    if (reason) {
      if (reason !== 'its process is still running') kept.push(`left ${work} in place: ${reason}`);
      continue;
    }
    try {
      removed.push(removeWorkFolder(work, target));
    } catch (e) {
      kept.push(`could not remove ${work}: ${String((e as Error)?.message ?? e).split('\n')[0]}`);
    }
  }
  return { removed, kept };
}

/** Removes a proven stale work folder, putting a previous result back first when the target is missing. */
function removeWorkFolder(work: string, target: string): string {
  const old = join(work, WORK_OLD);
  let what = work;
  if (!lstatOr(resolve(target)) && lstatOr(join(old, 'run.json'))) {
    renameSync(old, resolve(target));
    what = `${work} (previous results put back in ${resolve(target)})`;
  }
  for (const sub of [WORK_NEW, WORK_OLD]) {
    const dir = join(work, sub);
    if (!lstatOr(dir)) continue;
    for (const f of readdirSync(dir)) unlinkSync(join(dir, f));
    rmdirSync(dir);
  }
  unlinkSync(join(work, OWNER_FILE));
  rmdirSync(work);
  return what;
}
