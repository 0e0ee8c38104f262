// A fingerprint of a folder tree for the --out safety tests: every path below `root` with its type and
// content (or link target), hashed, so "nothing outside --out changed" is one comparison.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/** Folders' permission bits count too: a run must not chmod what it did not make. */
export function treeHash(root: string): string {
  const h = createHash('sha256');
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) h.update(`L ${rel}${name} -> ${readlinkSync(p)}\n`);
      else if (st.isDirectory()) {
        h.update(`D ${rel}${name} ${st.mode & 0o777}\n`);
        walk(p, `${rel}${name}/`);
      } else h.update(`F ${rel}${name} ${createHash('sha256').update(readFileSync(p)).digest('hex')}\n`);
    }
  };
  walk(root, '');
  return h.digest('hex');
}
