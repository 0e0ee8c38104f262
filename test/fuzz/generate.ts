// Random scenarios for the fuzz tests, driven by the scenario schema itself: every optional key the
// schema has (including keys added later) may be filled with a value that the key's own schema
// accepts, picked from small pools so runs stay short. The parts that must agree across keys (steps
// naming services, node counts, step times in order) are built here; everything else comes from the
// schema. Malformed scenarios are valid ones with one node of the document broken.
import fc from 'fast-check';
import { Scenario } from '../../src/scenario/schema.js';
import { resolveScenario, ScenarioError } from '../../src/scenario/load.js';
import { defOf, kindAt, unwrap } from '../../src/scenario/schema-walk.js';

type Json = unknown;
type Doc = Record<string, Json>;
type Schema = { safeParse(v: unknown): { success: boolean } };

/** Small values a leaf may take; each key keeps only those its schema accepts. */
const STRINGS = ['0s', '10ms', '250ms', '1s', '2s', '5s', '30s', '25%', '10%', '1', 'zone-a', 'zone-b', '1MiB', '100kB', '1Gbps', '10Mbps', '1.21', '1.30', '1.35', '1.17', 'Cluster', 'Local', 'PreferClose', 'Auto', 'x'];
const NUMBERS = [0, 1, 2, 3, 5, 10, 20, 100, 0.5];

/** Keys the generator sets itself (run length and cross-key agreement), never filled at random. */
const OWN_KEYS = new Set(['name', 'seed', 'until', 'sampleEvery', 'services', 'workload', 'nodes', 'replicas', 'service', 'at', 'action', 'models', 'description']);

const accepts = (schema: unknown, v: unknown) => (schema as Schema).safeParse(v).success;

/** A random value the schema accepts, or undefined when the pools hold none. */
function valueFor(schema: unknown, rnd: () => number, depth: number): Json {
  const s = unwrap(schema, undefined);
  if (!s || depth > 6) return undefined;
  const def = defOf(s);
  const pick = <T>(xs: readonly T[]): T | undefined => (xs.length ? xs[Math.floor(rnd() * xs.length)] : undefined);
  let v: Json;
  switch (def.type) {
    case 'object':
      v = fill({}, s, rnd, depth + 1, 0.5, true);
      break;
    case 'array': {
      const n = 1 + Math.floor(rnd() * 2);
      v = Array.from({ length: n }, () => valueFor(def.element, rnd, depth + 1)).filter((x) => x !== undefined);
      break;
    }
    case 'enum':
      v = pick(Object.values(def.entries as Record<string, string>));
      break;
    case 'literal':
      v = (def.values as unknown[])[0];
      break;
    case 'boolean':
      v = rnd() < 0.5;
      break;
    case 'number':
    case 'int':
      v = pick(NUMBERS.filter((n) => accepts(s, n)));
      break;
    case 'string':
      v = pick(STRINGS.filter((x) => accepts(s, x)));
      break;
    case 'union':
      v = valueFor(pick(def.options as unknown[]), rnd, depth + 1) ?? pick([...STRINGS, ...NUMBERS].filter((x) => accepts(s, x)));
      break;
    case 'tuple':
      v = (def.items as unknown[]).map((i) => valueFor(i, rnd, depth + 1));
      break;
    case 'record':
      v = {};
      break;
    default:
      return undefined;
  }
  return v !== undefined && accepts(schema, v) ? v : undefined;
}

const isOptional = (schema: unknown): boolean => ['optional', 'default', 'prefault'].includes(defOf(schema).type as string);

/** Fills the keys of an object schema into `target`: required ones always, optional ones with probability p. */
function fill(target: Doc, schema: unknown, rnd: () => number, depth: number, p: number, required: boolean): Doc {
  const shape = defOf(schema).shape as Record<string, unknown>;
  for (const [key, sub] of Object.entries(shape)) {
    if (key in target || OWN_KEYS.has(key)) continue;
    if (isOptional(sub) ? rnd() >= p : !required) continue;
    const v = valueFor(sub, rnd, depth);
    if (v !== undefined) target[key] = v;
  }
  return target;
}

const at = (doc: Doc, path: readonly PropertyKey[]): unknown => path.reduce<unknown>((o, k) => (o as Record<PropertyKey, unknown>)?.[k], doc);
const shapeAt = (doc: Doc, path: readonly PropertyKey[]) => {
  let s = unwrap(Scenario, doc);
  let d: unknown = doc;
  for (const k of path) {
    d = (d as Record<PropertyKey, unknown>)?.[k];
    const def = defOf(s);
    s = unwrap(def.type === 'array' ? def.element : (def.shape as Record<string, unknown>)[String(k)], d);
  }
  return s;
};

/** The actions, read from the schema's workload union (so a new action is fuzzed too). */
export const ACTIONS_FROM_SCHEMA: string[] = (() => {
  const step = unwrap(defOf(unwrap(Scenario, undefined)).shape && (defOf(unwrap(Scenario, undefined)).shape as Record<string, unknown>).workload, undefined);
  const options = defOf(unwrap(defOf(step).element, undefined) ?? defOf(step).element).options as unknown[];
  return options.map((o) => ((defOf((defOf(o).shape as Record<string, unknown>).action).values as string[])[0]));
})();

/** ['services', 0, 'pod'] from "services[0].pod". */
function parsePath(text: string): PropertyKey[] {
  return [...text.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]));
}

/**
 * A valid scenario: a random document whose randomly filled keys that the loader refuses (a rule
 * across keys, a version profile) are dropped until it loads; undefined if an own key is refused.
 */
export function scenarioDoc(seed: number): Doc | undefined {
  const doc = rawScenarioDoc(seed);
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      resolveScenario(doc, 'fuzz.yaml');
      return doc;
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      for (const problem of e.problems) {
        const m = /^fuzz\.yaml: ([^: ]+)/.exec(problem);
        const path = m ? parsePath(m[1]) : [];
        // Drop the deepest key of the path that the generator filled at random.
        let k = path.length;
        while (k > 0 && (typeof path[k - 1] === 'number' || OWN_KEYS.has(String(path[k - 1])) || at(doc, path.slice(0, k)) === undefined)) k--;
        if (k === 0) return undefined;
        delete (at(doc, path.slice(0, k - 1)) as Record<PropertyKey, unknown>)[path[k - 1]];
      }
    }
  }
  return undefined;
}

/** A document from the schema, before the loader has had its say. */
function rawScenarioDoc(seed: number): Doc {
  let state = seed >>> 0 || 1;
  const rnd = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const nodes = int(3, 12);
  const zones = ['zone-a', 'zone-b', 'zone-c'].slice(0, int(1, 3));
  const services = Array.from({ length: int(1, 2) }, (_, i) => ({ name: `svc${i}`, replicas: int(0, 12) }));
  const doc: Doc = { name: 'fuzz', seed: int(1, 1000), cluster: { nodes, zones }, services, sampleEvery: ['1s', '5s', '500ms'][int(0, 2)] };
  if (rnd() < 0.3) doc.until = `${int(5, 300)}s`;
  if (rnd() < 0.3) doc.models = [['endpoints'], ['endpointslices']][int(0, 1)];
  // Every other key, from the schema.
  fill(doc, unwrap(Scenario, doc), rnd, 0, 0.35, false);
  fill(doc.cluster as Doc, shapeAt(doc, ['cluster']), rnd, 1, 0.3, false);
  services.forEach((svc, i) => fill(svc, shapeAt(doc, ['services', i]), rnd, 1, 0.25, false));
  (doc.cluster as Doc).zones = zones;
  // Steps in time order, each action from the schema with its own keys filled from their schemas.
  let t = 0;
  const workload: Doc[] = [];
  doc.workload = workload;
  const steps = int(0, 4);
  for (let i = 0; i < steps; i++) {
    t += int(1, 60);
    const action = ACTIONS_FROM_SCHEMA[int(0, ACTIONS_FROM_SCHEMA.length - 1)];
    const step: Doc = { name: `step${i}`, at: `${t}s`, action, service: services[int(0, services.length - 1)].name, replicas: int(0, 12) };
    workload.push(step);
    const schema = shapeAt(doc, ['workload', i]);
    const shape = defOf(schema).shape as Record<string, unknown>;
    for (const k of Object.keys(step)) if (!(k in shape)) delete step[k];
    fill(step, schema, rnd, 1, 0.5, true);
    if ('nodes' in shape && step.nodes !== undefined) step.nodes = int(1, nodes);
    if (action === 'nodeFailure') {
      delete step.nodes;
      delete step.zone;
      if (rnd() < 0.5) step.zone = zones[int(0, zones.length - 1)];
      else step.nodes = int(1, nodes);
    }
    if (action === 'churn') step.rate = [0.5, 1, 5][int(0, 2)];
    if (action === 'watcherStall') step.nodes = int(1, nodes);
    if (action === 'apiserverRestart') step.instance = 0;
  }
  return doc;
}

/** Every path into the document (not the root), with what is there. */
function paths(doc: Json, prefix: PropertyKey[] = []): PropertyKey[][] {
  const out: PropertyKey[][] = [];
  if (Array.isArray(doc)) doc.forEach((x, i) => out.push([...prefix, i], ...paths(x, [...prefix, i])));
  else if (doc && typeof doc === 'object') for (const [k, x] of Object.entries(doc)) out.push([...prefix, k], ...paths(x, [...prefix, k]));
  return out;
}

/** One node of a valid document broken so that no schema can accept it: the path and the broken document. */
export function breakDoc(doc: Doc, choice: number): { doc: Doc; path: PropertyKey[]; unknownKey?: string } {
  const broken = structuredClone(doc);
  // Records (labels, per-zone maps) take any key; lists and mappings under them are left alone.
  const candidates = paths(broken).filter((p) => kindAt(Scenario, broken, p.slice(0, -1)) !== 'record' && !(p.length === 1 && p[0] === 'kubernetes'));
  const path = candidates[choice % candidates.length];
  const parent = at(broken, path.slice(0, -1)) as Record<PropertyKey, unknown>;
  const key = path[path.length - 1];
  const x = parent[key];
  if (Array.isArray(x)) parent[key] = 'not-a-list';
  else if (x && typeof x === 'object' && kindAt(Scenario, broken, path) !== 'record') {
    (x as Doc).fuzzUnknownKey = 1;
    return { doc: broken, path, unknownKey: 'fuzzUnknownKey' };
  } else parent[key] = { fuzzNotAValue: true };
  return { doc: broken, path };
}

// FUZZ_SEED=n replays or varies the hunt (the suite keeps one seed, so it is deterministic).
export const fcSeed = Number(process.env.FUZZ_SEED ?? 20261125);
export { fc };
