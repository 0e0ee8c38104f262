// The README's "How long until every node knows" tables are what tools/latency-tables.mjs prints from
// the committed results (which test/committed-results.test.ts holds equal to the code's output).
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_DIR } from './paths.js';

describe('README latency tables', () => {
  it('holds every table tools/latency-tables.mjs prints from the committed results', () => {
    const tables = execFileSync(process.execPath, [join(REPO_DIR, 'tools', 'latency-tables.mjs'), join(REPO_DIR, 'results')], { encoding: 'utf8' });
    const readme = readFileSync(join(REPO_DIR, 'README.md'), 'utf8');
    const parts = tables.trim().split('\n\n');
    expect(parts).toHaveLength(3);
    for (const table of parts) expect(readme).toContain(table);
  });
});
