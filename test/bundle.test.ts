// dist/cli/main.js is a bundle of tsc's modules (tools/bundle.mjs): it must behave as those modules do
// (the committed results, which test/committed-results.test.ts checks against the modules, come out of
// it byte for byte) and keep `--version` from loading anything but the entry's own small imports.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_DIR } from './paths.js';

const CLI = join(REPO_DIR, 'dist/cli/main.js');
const MARK = 'bundled by tools/bundle.mjs';

/** The files a `node dist/cli/main.js ...` process loads as modules, through a load hook that logs each URL. */
function loadedFiles(args: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'slicesim-bundle-'));
  try {
    const log = join(dir, 'loaded.txt');
    writeFileSync(log, '');
    writeFileSync(join(dir, 'hooks.mjs'), `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, context); }`);
    writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});`);
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(join(dir, 'register.mjs')).href, CLI, ...args], { encoding: 'utf8', cwd: REPO_DIR });
    expect(r.status, r.stderr).toBe(0);
    return readFileSync(log, 'utf8').split('\n').filter((u) => u.startsWith('file:') && !u.startsWith(pathToFileURL(dir).href));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the bundled command line (dist/cli/main.js)', () => {
  it('is a bundle: tools/bundle.mjs ran after tsc, and bundled the sweep\'s worker thread entry in place', () => {
    expect(readFileSync(CLI, 'utf8')).toContain(MARK);
    expect(readFileSync(join(REPO_DIR, 'dist/sweep/worker.js'), 'utf8')).toContain(MARK);
  });

  it('--version loads the entry and its static imports only: no yargs, no scenario schema, no simulation', () => {
    const entry = readFileSync(CLI, 'utf8');
    const staticImports = [...entry.matchAll(/^import .* from "(\.\/chunks\/[^"]+)";$/gm)].map((m) => new URL(m[1], pathToFileURL(CLI)).href);
    const loaded = loadedFiles(['--version']);
    expect(loaded).toContain(pathToFileURL(CLI).href);
    expect(loaded.filter((u) => u !== pathToFileURL(CLI).href && !staticImports.includes(u))).toEqual([]);
    // The hook sees lazy chunks when a command needs them (else the check above would prove nothing).
    const help = loadedFiles(['run', '--help']);
    expect(help.length).toBeGreaterThan(loaded.length);
    expect(help.some((u) => u.includes('/chunks/yargs'))).toBe(true);
  });

  it('run loads only files the bundle wrote: no tsc module of dist/, no package from node_modules', () => {
    const out = mkdtempSync(join(tmpdir(), 'slicesim-bundle-out-'));
    try {
      const loaded = loadedFiles(['run', 'scenarios/kep752-20x10.yaml', '--quiet', '--out', join(out, 'r')]);
      // Chunks, and entries the bundle wrote (the command's, a worker thread's).
      const chunks = pathToFileURL(join(REPO_DIR, 'dist/cli/chunks/')).href;
      expect(loaded.filter((u) => !u.startsWith(chunks) && !readFileSync(new URL(u), 'utf8').includes(MARK))).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('report rebuilds a folder without loading the simulation or the scenario schema', () => {
    const out = mkdtempSync(join(tmpdir(), 'slicesim-bundle-out-'));
    try {
      const run = spawnSync(process.execPath, [CLI, 'run', 'scenarios/kep752-20x10.yaml', '--quiet', '--out', join(out, 'r')], { encoding: 'utf8', cwd: REPO_DIR });
      expect(run.status, run.stderr).toBe(0);
      const code = loadedFiles(['report', join(out, 'r'), '--quiet']).map((u) => readFileSync(new URL(u), 'utf8'));
      expect(code.some((c) => c.includes('function runReportHtml('))).toBe(true);
      expect(code.filter((c) => c.includes('function simulateModel(') || c.includes('function loadScenario('))).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("yargs still finds its translations (its import.meta.url is its own file's, not the chunk's)", () => {
    const de = JSON.parse(readFileSync(join(REPO_DIR, 'node_modules/yargs/locales/de.json'), 'utf8')) as Record<string, string>;
    expect(de['Options:']).not.toBe('Options:');
    const r = spawnSync(process.execPath, [CLI, 'run', '--help'], { encoding: 'utf8', cwd: REPO_DIR, env: { ...process.env, LC_ALL: 'de_DE.UTF-8', LANG: 'de_DE.UTF-8' } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(de['Options:']);
  });

  // One scenario with topology.csv, one without: the bundle's output equals the committed files, which
  // committed-results.test.ts regenerates from tsc's modules.
  it.each(['kep752-20x10', 'topology-zone-failure-auto'])('run %s writes the committed result files byte for byte', (name) => {
    const out = mkdtempSync(join(tmpdir(), 'slicesim-bundle-out-'));
    try {
      const r = spawnSync(process.execPath, [CLI, 'run', `scenarios/${name}.yaml`, '--quiet', '--out', join(out, name)], { encoding: 'utf8', cwd: REPO_DIR });
      expect(r.status, r.stderr).toBe(0);
      const committed = readdirSync(join(REPO_DIR, 'results', name)).sort();
      expect(readdirSync(join(out, name)).sort()).toEqual(committed);
      for (const f of committed) expect(readFileSync(join(out, name, f), 'utf8'), f).toBe(readFileSync(join(REPO_DIR, 'results', name, f), 'utf8'));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
