// The version profile table (src/scenario/versions.ts): every row names a real scenario key, every
// release resolves, the newest release is exactly the schema's defaults (so scenarios without
// `kubernetes:` keep their results), explicit keys win, and YAML numbers spell versions.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveScenario, ScenarioError } from '../src/scenario/load.js';
import { COMPARISON_DEFAULTS, NEWEST, OLDEST, PROFILE_ROWS, VERSIONS, parseVersion, profileFor } from '../src/scenario/versions.js';
import { REPO_DIR } from './paths.js';

const base = (extra: Record<string, unknown> = {}) => ({ name: 't', cluster: { nodes: 3 }, services: [{ name: 'web' }, { name: 'api' }], ...extra });

function valueAt(doc: unknown, key: string): unknown[] {
  const [head, ...rest] = key.split('.');
  if (head === '*') return (doc as unknown[]).flatMap((item) => (rest.length ? valueAt(item, rest.join('.')) : [item]));
  const next = (doc as Record<string, unknown>)[head];
  return rest.length ? valueAt(next, rest.join('.')) : [next];
}

const keys = [...new Set(PROFILE_ROWS.map((r) => r.key))];

describe('version profile table', () => {
  it('knows every release from 1.16 to 1.35', () => {
    expect(VERSIONS[0]).toBe(OLDEST);
    expect(VERSIONS[VERSIONS.length - 1]).toBe(NEWEST);
    expect(VERSIONS).toHaveLength(20);
  });

  it.each(keys)('%s has a row at the oldest release and every row cites a source', (key) => {
    const rows = PROFILE_ROWS.filter((r) => r.key === key);
    expect(rows.some((r) => r.since === OLDEST)).toBe(true);
    for (const r of rows) {
      expect(VERSIONS).toContain(r.since);
      expect(r.source.length).toBeGreaterThan(10);
    }
  });

  it.each(keys.filter((k) => !COMPARISON_DEFAULTS.has(k)))('%s: the newest release is the schema default (absent kubernetes: = today)', (key) => {
    const defaults = resolveScenario(base(), 't.yaml');
    for (const v of valueAt(defaults, key)) expect(v).toEqual(profileFor(NEWEST).get(key));
  });

  it('only the comparison keys differ from the newest release by default', () => {
    const defaults = resolveScenario(base(), 't.yaml');
    for (const key of COMPARISON_DEFAULTS) expect(valueAt(defaults, key)[0]).not.toEqual(profileFor(NEWEST).get(key));
  });

  it.each(VERSIONS)('kubernetes: "%s" resolves and sets every profile key', (version) => {
    const s = resolveScenario(base({ kubernetes: version }), 't.yaml');
    expect(s.kubernetes).toBe(version);
    const profile = profileFor(version);
    for (const key of keys) for (const v of valueAt(s, key)) expect(v).toEqual(profile.get(key));
  });

  it('the README lists every row with its source', () => {
    const readme = readFileSync(join(REPO_DIR, 'README.md'), 'utf8');
    for (const r of PROFILE_ROWS) expect(readme).toContain(`| ${r.since} | \`${r.key}\` | \`${JSON.stringify(r.value)}\` | ${r.source} |`);
  });
});

describe('kubernetes: in a scenario', () => {
  it.each([
    [1.2, '1.20'],
    [1.3, '1.30'],
    [1.16, '1.16'],
    [1.35, '1.35'],
    ['1.22', '1.22'],
    ['v1.22.3', '1.22'],
  ])('a YAML value %j is the version %s', (raw, version) => {
    expect(parseVersion(raw)).toBe(version);
  });

  it.each([1.15, 1.36, 2, '1.x', '', true, null])('%j is refused with the key and what is allowed', (raw) => {
    expect(() => resolveScenario(base({ kubernetes: raw }), 't.yaml')).toThrow(ScenarioError);
    expect(() => resolveScenario(base({ kubernetes: raw }), 't.yaml')).toThrow(/t\.yaml: kubernetes: .*1\.16 \.\. 1\.35/);
  });

  it('explicit keys win over the profile, per key', () => {
    const s = resolveScenario(base({ kubernetes: '1.21', endpointsController: { maxEndpoints: 5 } }), 't.yaml');
    expect(s.endpointsController).toMatchObject({ maxEndpoints: 5, overCapacity: 'warning', managedByLabel: false });
  });

  it('--set kubernetes=1.2 reads the YAML number as 1.20', () => {
    const s = resolveScenario(base(), 't.yaml', ['kubernetes=1.2']);
    expect(s.kubernetes).toBe('1.20');
    expect(s.endpointsController.maxEndpoints).toBe(0);
    expect(s.controllerManager.endpointControllers).toBe('both');
  });

  it('a --set key wins over the profile', () => {
    const s = resolveScenario(base({ kubernetes: '1.20' }), 't.yaml', ['endpointsController.maxEndpoints=1000']);
    expect(s.endpointsController.maxEndpoints).toBe(1000);
  });
});

describe('slicesim reconcile --kubernetes', () => {
  it('runs the release profile controllers; explicit flags win', async () => {
    const { reconcileOptions } = await import('../src/cli/reconcile.js');
    expect(reconcileOptions({ controller: 'endpoints' })).toMatchObject({ kubernetes: NEWEST, maxEndpoints: 1000, overCapacity: 'truncate', managedByLabel: true });
    expect(reconcileOptions({ controller: 'endpoints', kubernetes: '1.21' })).toMatchObject({ maxEndpoints: 1000, overCapacity: 'warning', managedByLabel: false });
    expect(reconcileOptions({ controller: 'endpoints', kubernetes: '1.20' })).toMatchObject({ maxEndpoints: 0, terminatingCondition: false });
    expect(reconcileOptions({ controller: 'endpoints', kubernetes: '1.20', maxEndpoints: 7 }).maxEndpoints).toBe(7);
    expect(() => reconcileOptions({ controller: 'endpoints', kubernetes: '1.99' })).toThrow(/--kubernetes: got "1.99"; expected a Kubernetes release 1.16 .. 1.35/);
  });
});
