// Second step of `npm run build`: bundle the command line into dist/cli/main.js, the path `bin`, the
// tests and users run. tsc has just compiled src/ into dist/ (module per file); this script bundles
// tsc's dist/cli/main.js with everything it imports (our modules and the npm packages) and writes the
// result over it. One file for the entry (so `slicesim --version` reads one file) and a few chunks in
// dist/cli/chunks/ for each command's dynamic import: Node then resolves, reads and compiles a dozen
// files instead of ~130 (about 0.1 CPU-s less per run, README "Speed"). The other dist/ modules stay
// as tsc wrote them: the tests import them and the sweep's worker threads start from dist/sweep/worker.js.
// The bundle is tsc's own output concatenated: no TypeScript is compiled twice, nothing is minified.
import { readFileSync } from 'node:fs';
import { rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const OUT = join(DIST, 'cli');
const ENTRY = join(OUT, 'main.js');
/** First line after the shebang of a bundled main.js: a second run must start from tsc's output again. */
const MARK = '// bundled by tools/bundle.mjs from tsc\'s dist/cli/main.js: edit src/, then npm run build';

if (readFileSync(ENTRY, 'utf8').includes(MARK)) {
  console.error('tools/bundle.mjs: dist/cli/main.js is already a bundle; run npm run build (tsc first)');
  process.exit(1);
}

// A module's import.meta.url must stay the URL of its own file in dist/ (version.ts reads
// ../../package.json, sweep/pool.ts starts ./worker.js next to it), wherever the bundle puts its
// code: each use becomes a URL relative to the chunk's file, filled in once chunks have their names.
const PLACEHOLDER = 'slicesim-module-url:';
const keepModuleUrls = {
  name: 'keep-module-urls',
  transform(code, id) {
    if (!id.startsWith(DIST) || !code.includes('import.meta.url')) return null;
    return { code: code.replaceAll('import.meta.url', `new URL(${JSON.stringify(PLACEHOLDER + relative(DIST, id))}, import.meta.url).href`), map: null };
  },
  renderChunk(code, chunk) {
    if (!code.includes(PLACEHOLDER)) return null;
    const chunkDir = dirname(join(OUT, chunk.fileName));
    return { code: code.replace(/"slicesim-module-url:([^"]+)"/g, (_, file) => JSON.stringify(relative(chunkDir, join(DIST, file)))), map: null };
  },
};

rmSync(join(OUT, 'chunks'), { recursive: true, force: true });
await build({
  input: ENTRY,
  platform: 'node',
  logLevel: 'warn',
  preserveEntrySignatures: false,
  plugins: [keepModuleUrls],
  output: {
    dir: OUT,
    format: 'esm',
    entryFileNames: 'main.js',
    chunkFileNames: 'chunks/[name].js',
    banner: (chunk) => (chunk.isEntry ? MARK : ''),
  },
});
