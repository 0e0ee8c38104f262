// Crashes found by trying slicesim as a new user would and by the fuzz tests, each kept as a named
// case: the scenario must now run to completion (or be refused with exit 2 before simulating).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadScenario } from '../src/scenario/load.js';
import { simulateModel } from '../src/simulation.js';
import { REPO_DIR } from './paths.js';

describe('regressions: valid scenarios that crashed', () => {
  it('KEP-752 20,000 one-endpoint slices with the client rate limit lifted (writes sent by recursion overflowed the stack)', () => {
    const s = loadScenario(join(REPO_DIR, 'scenarios/kep752-20000x5000-b1.yaml'), ['controllerManager.qps=1000000', 'controllerManager.burst=1000000', 'workload=[]', 'cluster.nodes=200']);
    const run = simulateModel(s, 'endpointslices');
    expect(run.metrics.total.writes).toBe(20000);
  });
});
