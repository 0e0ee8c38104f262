// Fuzz tests (issue 8): random valid scenarios from the schema (every action, every optional key)
// must run, in-process, deterministically and with result files that agree with themselves; random
// malformed ones must be refused with the key named and nothing written. A sample of each goes
// through the CLI as a user would run it. Seeded: a failure names the seed to replay.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveScenario, ScenarioError, formatPath } from '../src/scenario/load.js';
import { simulateModel } from '../src/simulation.js';
import { resultFiles } from '../src/cli/run.js';
import { ACTIONS_FROM_SCHEMA, breakDoc, fc, fcSeed, scenarioDoc } from './fuzz/generate.js';
import { REPO_DIR } from './paths.js';

// FUZZ_RUNS=n runs n of each (hunting for new crashes); the suite keeps to a minute.
const VALID_RUNS = Number(process.env.FUZZ_RUNS ?? 120);
const MALFORMED_RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const CLI_SAMPLE = 4;
/** A longer hunt gets time in proportion (400 ms a scenario on a busy machine), never less than the suite's 2 minutes. */
const HUNT_TIMEOUT_MS = Math.max(120_000, VALID_RUNS * 400);

/** summary.csv columns that add up over phases (phase `all` is their sum). */
const ADDITIVE = ['writes', 'rejected_writes', 'watch_events', 'watch_bytes', 'etcd_bytes', 'relist_bytes', 'etcd_raft_bytes', 'pods_replaced', 'quota_rejected_writes', 'etcd_watch_bytes', 'hint_writes'];
/** timeseries.csv columns that count since the start (never decrease). */
const CUMULATIVE = ['writes', 'rejected_writes', 'watch_events', 'watch_bytes', 'etcd_bytes', 'quota_rejected_writes', 'egress_sent_bytes'];
/** Cells that may be empty: quantities with no sample (latency and the clusterloader2 statistic without changes, per-pod figures without replaced pods). */
const MAY_BE_EMPTY = /latency|npl_cl2|per_replaced_pod|ratio|fraction/;

function csv(text: string): { head: string[]; rows: string[][] } {
  const [head, ...rows] = text.trim().split('\n').map((l) => l.split(','));
  return { head, rows };
}

function checkResultFiles(files: Record<string, string>, label: string): void {
  for (const name of ['summary.csv', 'timeseries.csv']) {
    const { head, rows } = csv(files[name]);
    for (const r of rows) {
      head.forEach((col, i) => {
        if (['scenario', 'model', 'phase', 'zone'].includes(col)) return;
        const cell = r[i];
        if (cell === '' && MAY_BE_EMPTY.test(col)) return;
        const n = Number(cell);
        expect(cell !== '' && Number.isFinite(n) && n >= 0, `${label} ${name} ${col}=${JSON.stringify(cell)}`).toBe(true);
      });
    }
  }
  const summary = csv(files['summary.csv']);
  const col = (c: string) => summary.head.indexOf(c);
  for (const model of new Set(summary.rows.map((r) => r[1]))) {
    const rows = summary.rows.filter((r) => r[1] === model);
    const all = rows.find((r) => r[2] === 'all')!;
    for (const c of ADDITIVE.filter((c) => col(c) >= 0)) {
      const sum = rows.filter((r) => r !== all).reduce((n, r) => n + Number(r[col(c)]), 0);
      expect(Number(all[col(c)]), `${label} ${model} all.${c} = sum of phases`).toBe(sum);
    }
  }
  const ts = csv(files['timeseries.csv']);
  const tcol = (c: string) => ts.head.indexOf(c);
  for (const model of new Set(ts.rows.map((r) => r[1]))) {
    const rows = ts.rows.filter((r) => r[1] === model);
    for (let k = 1; k < rows.length; k++) {
      expect(Number(rows[k][tcol('time_s')]), `${label} ${model} time_s increases`).toBeGreaterThan(Number(rows[k - 1][tcol('time_s')]));
      for (const c of CUMULATIVE.filter((c) => tcol(c) >= 0)) {
        expect(Number(rows[k][tcol(c)]), `${label} ${model} ${c} at row ${k} never decreases`).toBeGreaterThanOrEqual(Number(rows[k - 1][tcol(c)]));
      }
    }
  }
}

/** The loader's verdict: the resolved scenario, or undefined when a cross-key rule refuses it. */
function load(doc: Record<string, unknown> | undefined) {
  if (!doc) return undefined;
  try {
    return resolveScenario(doc, 'fuzz.yaml');
  } catch (e) {
    if (e instanceof ScenarioError) return undefined;
    throw e;
  }
}

const cli = (cwd: string, ...args: string[]) => spawnSync('node', [join(REPO_DIR, 'dist/cli/main.js'), ...args], { encoding: 'utf8', cwd });

describe('fuzz: random valid scenarios', () => {
  it('the generator reaches every action and most optional keys of the schema', () => {
    const actions = new Set<string>();
    const keys = new Set<string>();
    for (let seed = 1; seed <= 300; seed++) {
      const doc = scenarioDoc(seed);
      if (!doc) continue;
      for (const step of doc.workload as { action: string }[]) actions.add(step.action);
      for (const [k, v] of Object.entries(doc)) {
        keys.add(k);
        if (v && typeof v === 'object' && !Array.isArray(v)) for (const kk of Object.keys(v)) keys.add(`${k}.${kk}`);
      }
    }
    expect([...actions].sort()).toEqual([...ACTIONS_FROM_SCHEMA].sort());
    for (const k of ['encoding', 'etcd', 'kubeProxy', 'controllerManager', 'apiserver', 'endpointSliceController', 'endpointsController', 'until', 'models']) expect(keys).toContain(k);
  });

  it(`${VALID_RUNS} scenarios run without throwing, twice byte-identical, with books that balance and columns that agree`, () => {
    let ran = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const scenario = load(scenarioDoc(seed));
        if (!scenario) return; // a cross-key rule refused the random combination: nothing to run
        ran++;
        const runs = scenario.models.map((m) => simulateModel(scenario, m));
        for (const r of runs) {
          const e = r.egress;
          expect(e.sentBytes, `seed ${seed} ${r.model}: sent = delivered + in flight`).toBe(e.deliveredBytes + e.inFlightBytes);
        }
        const files = resultFiles(scenario, scenario.seed, runs);
        const again = resultFiles(scenario, scenario.seed, scenario.models.map((m) => simulateModel(scenario, m)));
        for (const name of Object.keys(files)) expect(again[name], `seed ${seed}: ${name} byte-identical on a rerun`).toBe(files[name]);
        checkResultFiles(files, `seed ${seed}`);
      }),
      { seed: fcSeed, numRuns: VALID_RUNS },
    );
    expect(ran).toBeGreaterThan(VALID_RUNS * 0.7);
  }, HUNT_TIMEOUT_MS);

  it(`a sample of ${CLI_SAMPLE} runs through the CLI: exit 0 and the result files`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'slicesim-fuzz-'));
    let done = 0;
    for (let seed = 1; done < CLI_SAMPLE; seed++) {
      const doc = scenarioDoc(seed * 7919);
      if (!load(doc)) continue;
      const file = join(dir, `s${seed}.json`);
      writeFileSync(file, JSON.stringify(doc));
      const r = cli(dir, 'run', file, '--out', join(dir, `out${seed}`), '--quiet');
      expect(r.status, `seed ${seed * 7919}: ${r.stderr}`).toBe(0);
      expect(existsSync(join(dir, `out${seed}`, 'summary.csv'))).toBe(true);
      done++;
    }
  });
});

describe('fuzz: malformed scenarios', () => {
  const base = (() => {
    for (let seed = 1; ; seed++) {
      const doc = scenarioDoc(seed);
      if (doc && (doc.workload as unknown[]).length >= 2) return doc;
    }
  })();

  it(`${MALFORMED_RUNS} broken documents are refused, each naming the key`, () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 500 }), (choice, seed) => {
        const valid = scenarioDoc(seed);
        if (!valid) return;
        const { doc, path, unknownKey } = breakDoc(valid, choice);
        let error: unknown;
        try {
          resolveScenario(doc, 'bad.yaml');
        } catch (e) {
          error = e;
        }
        expect(error, `seed ${seed} choice ${choice}: ${formatPath(path)} broken but accepted`).toBeInstanceOf(ScenarioError);
        const message = (error as Error).message;
        const named = unknownKey ? [formatPath([...path, unknownKey])] : [formatPath(path), formatPath(path.slice(0, -1))];
        expect(named.some((n) => message.includes(`bad.yaml: ${n}`)), `seed ${seed}: "${message}" should name ${named.join(' or ')}`).toBe(true);
      }),
      { seed: fcSeed, numRuns: MALFORMED_RUNS },
    );
  });

  it('through the CLI: exit 2, one line per problem, no stack trace, no files written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'slicesim-fuzz-bad-'));
    for (let choice = 0; choice < CLI_SAMPLE; choice++) {
      const { doc } = breakDoc(base, choice * 13 + 5);
      const file = join(dir, `bad${choice}.json`);
      writeFileSync(file, JSON.stringify(doc));
      const r = cli(dir, 'run', file, '--out', join(dir, 'out'));
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain(`bad${choice}.json: `);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(readdirSync(dir).filter((f) => !f.endsWith('.json'))).toEqual([]);
  });
});
