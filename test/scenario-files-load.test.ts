// Every scenario file kept in the repository loads within the limits (a duplicate key, a key another
// branch renamed, or a size over the limits would otherwise show only when someone runs it).
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario } from '../src/scenario/load.js';
import { REPO_DIR } from './paths.js';

const files = ['scenarios', 'bench'].flatMap((d) => readdirSync(join(REPO_DIR, d)).filter((f) => f.endsWith('.yaml')).map((f) => join(d, f)));

describe('scenario files in the repository', () => {
  it.each(files)('%s loads', (f) => {
    expect(loadScenario(join(REPO_DIR, f)).name).toMatch(/^[a-z0-9-]+$/);
  });
});
