// The README as a new user meets it: its commands never overwrite the committed results, its links
// resolve inside the repository, and its column documentation covers every summary.csv column with
// the Prometheus metric it corresponds to.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_DIR } from './paths.js';
import { SUMMARY_COLUMNS } from '../src/report/summary.js';

const readme = readFileSync(join(REPO_DIR, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(join(REPO_DIR, 'package.json'), 'utf8'));

describe('README', () => {
  // Runnable examples (`npx slicesim run|sweep|merge|frontier …`, in code spans and blocks) and the
  // npm start script; `slicesim run FILE… [--out DIR]` without npx is syntax, not an example.
  const commands = [...readme.matchAll(/npx slicesim (run|sweep|merge|frontier)\b[^`\n|]*/g)].map((m) => m[0]);

  it('commands that write results name an --out outside results/ (the committed results stay as committed)', () => {
    expect(commands.length).toBeGreaterThan(5);
    for (const c of [...commands, pkg.scripts.start]) {
      const out = /--out\s+(\S+)/.exec(c);
      expect(out, c).not.toBeNull();
      expect(out![1].replace(/^\.\//, '').startsWith('results'), c).toBe(false);
    }
  });

  it('links and linked images resolve inside the repository', () => {
    expect(readme).not.toContain('../shared');
    const targets = [...readme.matchAll(/\]\(([^)#]+)(?:#[^)]*)?\)/g)].map((m) => m[1]).filter((t) => !/^https?:/.test(t));
    expect(targets.length).toBeGreaterThan(0);
    for (const t of targets) expect(existsSync(join(REPO_DIR, t)), t).toBe(true);
  });

  it('maps every summary.csv column to the Prometheus metric it corresponds to', () => {
    const section = readme.slice(readme.indexOf('### Columns as Prometheus metrics'));
    expect(section.length).toBeLessThan(readme.length);
    for (const c of SUMMARY_COLUMNS) expect(section, c).toMatch(new RegExp(`\\| \`${c}\` \\| [^|]*\\S[^|]*\\|`));
  });
});
