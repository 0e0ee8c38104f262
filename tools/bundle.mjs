// Second step of `npm run build`: bundle the command line into dist/cli/main.js, the path `bin`, the
// tests and users run. tsc has just compiled src/ into dist/ (module per file); this script bundles
// tsc's dist/cli/main.js with everything it imports (our modules and the npm packages) and writes the
// result over it. One file for the entry (so `slicesim --version` reads one file and the few it
// imports) and chunks in dist/cli/chunks/ for each command's dynamic import: Node then resolves, reads
// and compiles a dozen files instead of ~130 (about 0.1 CPU-s less per run, README "Speed").
// A worker thread's entry (`new Worker(new URL('./x.js', import.meta.url))` in any bundled module) is
// bundled in place the same way, sharing the chunks, so a thread starts as fast as the command.
// The other dist/ modules stay as tsc wrote them, for the tests and tools that import them.
// The bundle is tsc's own output concatenated: no TypeScript is compiled twice, nothing is minified
// (stripping comments and whitespace saved about 3 ms of a 220 ms run: not worth unreadable stacks).
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const ENTRY = join(DIST, 'cli/main.js');
/** First line (after a shebang) of every entry this writes: a second run must start from tsc's output again. */
const MARK = '// bundled by tools/bundle.mjs from tsc\'s output in dist/: edit src/, then npm run build';

if (readFileSync(ENTRY, 'utf8').includes(MARK)) {
  console.error('tools/bundle.mjs: dist/cli/main.js is already a bundle; run npm run build (tsc first)');
  process.exit(1);
}

// A module's import.meta.url must stay the URL of its own file (version.ts reads ../../package.json,
// sweep/pool.ts starts ./worker.js next to it, yargs finds its translations in node_modules/yargs/
// locales and the package.json it reads settings from), wherever the bundle puts its code: each use
// becomes a URL relative to the chunk's file, filled in once chunks have their names. (Installed with
// packages laid out otherwise, yargs finds no translations and speaks English, as a bundler expects.)
const PLACEHOLDER = 'slicesim-module-url:';
const WORKER = /new Worker\(new URL\((['"])(\.{1,2}\/[^'"]+)\1, import\.meta\.url\)/g;
const keepModuleUrls = {
  name: 'keep-module-urls',
  transform(code, id) {
    if (!code.includes('import.meta.url')) return null;
    for (const m of id.startsWith(DIST) ? code.matchAll(WORKER) : []) {
      const worker = join(dirname(id), m[2]);
      this.emitFile({ type: 'chunk', id: worker, fileName: relative(DIST, worker) });
    }
    return { code: code.replaceAll('import.meta.url', `new URL(${JSON.stringify(PLACEHOLDER + relative(DIST, id))}, import.meta.url).href`), map: null };
  },
  renderChunk(code, chunk) {
    if (!code.includes(PLACEHOLDER)) return null;
    const chunkDir = dirname(join(DIST, chunk.fileName));
    return { code: code.replace(/"slicesim-module-url:([^"]+)"/g, (_, file) => JSON.stringify(relative(chunkDir, join(DIST, file)))), map: null };
  },
};

rmSync(join(DIST, 'cli/chunks'), { recursive: true, force: true });
await build({
  input: { 'cli/main': ENTRY },
  platform: 'node',
  logLevel: 'warn',
  preserveEntrySignatures: false,
  plugins: [keepModuleUrls],
  output: {
    dir: DIST,
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: 'cli/chunks/[name].js',
    banner: (chunk) => (chunk.isEntry ? MARK : ''),
  },
});
