// Every committed scenario re-run from scratch must give its committed result files byte for byte:
// the README's figures come from these files, and same scenario + seed must mean same bytes.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario } from '../src/scenario/load.js';
import { simulateModel } from '../src/simulation.js';
import { resultFiles } from '../src/cli/run.js';
import { REPO_DIR } from './paths.js';

const scenarios = readdirSync(join(REPO_DIR, 'scenarios')).filter((f) => f.endsWith('.yaml'));

describe('committed results', () => {
  it('every scenario has committed results', () => {
    expect(scenarios.length).toBeGreaterThan(0);
    const folders = new Set(readdirSync(join(REPO_DIR, 'results')));
    expect(scenarios.map((f) => f.replace(/\.yaml$/, '')).filter((n) => !folders.has(n))).toEqual([]);
  });

  it.each(scenarios)('%s reproduces results/ byte for byte', (file) => {
    const s = loadScenario(join(REPO_DIR, 'scenarios', file));
    const files = resultFiles(s, s.seed, s.models.map((m) => simulateModel(s, m, s.seed)));
    for (const [name, text] of Object.entries(files)) {
      expect(text, `${s.name}/${name}`).toBe(readFileSync(join(REPO_DIR, 'results', s.name, name), 'utf8'));
    }
  });
});
