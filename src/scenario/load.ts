// Reading scenario files: YAML or JSON, `--set key.path=value` overrides, schema validation, and the
// checks that span keys. Every problem is reported with the file, the key path, what was wrong and
// what is allowed; callers exit 2 and write nothing.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { Scenario } from './schema.js';
import { duration } from './units.js';
import { applyVersionProfile } from './versions.js';
import { resolveUnits, type ResolvedScenario } from './resolve.js';

export class ScenarioError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** `workload[2].maxSurge` from ['workload', 2, 'maxSurge']. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('') || '(top level)';
}

type Def = Record<string, unknown>;
/** zod keeps each schema's definition (its kind and parts) in `_zod.def`. */
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

/** Strips wrappers (default, optional, pipe) and picks the union member the data selects by `action`. */
function unwrap(schema: unknown, data: unknown): unknown {
  for (;;) {
    const def = defOf(schema);
    if (['default', 'optional', 'nullable', 'prefault'].includes(def.type as string)) schema = def.innerType;
    else if (def.type === 'pipe') schema = def.in;
    else if (def.type === 'union') {
      const action = data && typeof data === 'object' ? (data as Def).action : undefined;
      schema = (def.options as unknown[]).find((o) => {
        const shape = defOf(o).shape as Def | undefined;
        const values = shape?.action ? (defOf(shape.action).values as unknown[]) : undefined;
        return defOf(o).type === 'object' && (!values || values.includes(action));
      });
      if (!schema) return undefined;
    } else return schema;
  }
}

/** The object keys the schema allows at `path` (following the data to pick union members). */
function allowedKeysAt(schema: unknown, data: unknown, path: readonly PropertyKey[]): string[] {
  let s = unwrap(schema, data);
  let d = data;
  for (const key of path) {
    if (!s) return [];
    const def = defOf(s);
    d = d && typeof d === 'object' ? (d as Record<PropertyKey, unknown>)[key] : undefined;
    if (def.type === 'object') s = (def.shape as Def)[String(key)];
    else if (def.type === 'array') s = def.element;
    else return [];
    if (s) s = unwrap(s, d);
  }
  return s && defOf(s).type === 'object' ? Object.keys(defOf(s).shape as Def) : [];
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  const at = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys
      .map((k) => `${formatPath([...issue.path, k])}: unknown key; allowed keys here: ${allowedKeysAt(Scenario, raw, issue.path).join(', ')}`)
      .join('\n');
  }
  if (issue.code === 'invalid_value') return `${at}: got ${JSON.stringify(valueAt(raw, issue.path))}; allowed: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  if (issue.code === 'invalid_type' && valueAt(raw, issue.path) === undefined) return `${at}: required key is missing (${issue.message})`;
  const got = valueAt(raw, issue.path);
  return `${at}: ${issue.message}${got !== undefined && typeof got !== 'object' ? ` (got ${JSON.stringify(got)})` : ''}`;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v = raw;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/** Applies `key.path=value` to the raw document; the value is read as YAML (numbers, lists, …). */
export function applySet(doc: Record<string, unknown>, assignment: string): void {
  const eq = assignment.indexOf('=');
  if (eq <= 0) throw new ScenarioError([`--set ${assignment}: expected key.path=value, e.g. cluster.nodes=5000`]);
  const keys = assignment.slice(0, eq).split('.');
  const value = parseYaml(assignment.slice(eq + 1));
  let obj: Record<string, unknown> = doc;
  keys.forEach((k, i) => {
    const key = /^\d+$/.test(k) && Array.isArray(obj) ? Number(k) : k;
    if (i === keys.length - 1) {
      (obj as Record<PropertyKey, unknown>)[key] = value;
      return;
    }
    let next = (obj as Record<PropertyKey, unknown>)[key];
    if (next === undefined || next === null) {
      next = /^\d+$/.test(keys[i + 1]) ? [] : {};
      (obj as Record<PropertyKey, unknown>)[key] = next;
    }
    if (typeof next !== 'object') throw new ScenarioError([`--set ${assignment}: ${keys.slice(0, i + 1).join('.')} is not an object or list`]);
    obj = next as Record<string, unknown>;
  });
}

/** Cross-key rules the schema cannot state on one key. */
function checkConsistency(s: Scenario): string[] {
  const problems: string[] = [];
  const services = new Set(s.services.map((x) => x.name));
  if (services.size !== s.services.length) problems.push('services: service names must be unique');
  const names = new Set<string>();
  let last = 0;
  s.workload.forEach((step, i) => {
    const at = `workload[${i}]`;
    if (step.name === 'initial' || step.name === 'all') problems.push(`${at}.name: "${step.name}" is reserved for the report; choose another name`);
    if (names.has(step.name)) problems.push(`${at}.name: "${step.name}" is used by an earlier step; step names must be unique`);
    names.add(step.name);
    const t = duration(step.at);
    if (t < last) problems.push(`${at}.at: ${step.at} is before the previous step; steps must be in time order`);
    last = t;
    if ('service' in step && !services.has(step.service)) {
      problems.push(`${at}.service: no service named "${step.service}"; services: ${[...services].join(', ')}`);
    }
    if (step.action === 'rollingUpdate') {
      // ValidateRollingUpdateDeployment (apps validation): not both 0, maxUnavailable at most 100%.
      const zero = (v: number | string) => (typeof v === 'number' ? v : Number(v.slice(0, -1))) === 0;
      if (zero(step.maxSurge) && zero(step.maxUnavailable)) problems.push(`${at}.maxUnavailable: may not be 0 when maxSurge is 0 (the rollout could never progress); allowed: at least one of them above 0`);
      if (typeof step.maxUnavailable === 'string' && Number(step.maxUnavailable.slice(0, -1)) > 100) problems.push(`${at}.maxUnavailable: ${step.maxUnavailable} is more than 100%; allowed: 0% .. 100% or a whole number`);
    }
    if (step.action === 'nodeFailure' && (step.nodes === undefined) === (step.zone === undefined)) {
      problems.push(`${at}: nodeFailure needs exactly one of nodes (a count) or zone`);
    }
    if ((step.action === 'nodeFailure' || step.action === 'watcherStall') && step.nodes !== undefined && step.nodes > s.cluster.nodes) {
      problems.push(`${at}.nodes: ${step.nodes} is more than the cluster's ${s.cluster.nodes} nodes`);
    }
    if (step.action === 'apiserverRestart' && step.instance >= s.apiserver.instances) {
      problems.push(`${at}.instance: ${step.instance} does not exist; instances are 0..${s.apiserver.instances - 1} (apiserver.instances)`);
    }
    if (step.action === 'nodeFailure' && step.zone !== undefined && !s.cluster.zones.includes(step.zone)) {
      problems.push(`${at}.zone: no zone "${step.zone}"; zones: ${s.cluster.zones.join(', ')}`);
    }
  });
  s.services.forEach((svc, i) => {
    if (svc.addressType === 'FQDN' && svc.ipFamilies.length > 1) problems.push(`services[${i}].addressType: FQDN services have one address type; use ipFamilies [IPv4]`);
  });
  return problems;
}

/**
 * Parses and validates one scenario document and resolves its units (durations, sizes, bandwidths,
 * distributions) once; throws ScenarioError with every problem found.
 */
export function resolveScenario(raw: unknown, file: string, sets: readonly string[] = []): ResolvedScenario {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new ScenarioError([`${file}: expected a mapping of scenario keys (name, cluster, services, …)`]);
  const doc = structuredClone(raw) as Record<string, unknown>;
  for (const s of sets) applySet(doc, s);
  // The version profile fills in what the file and --set leave out (explicit keys win).
  const versionProblem = applyVersionProfile(doc);
  if (versionProblem) throw new ScenarioError([`${file}: ${versionProblem}`]);
  const parsed = Scenario.safeParse(doc);
  if (!parsed.success) throw new ScenarioError(parsed.error.issues.map((i) => `${file}: ${describeIssue(i, doc)}`));
  const problems = checkConsistency(parsed.data);
  if (problems.length) throw new ScenarioError(problems.map((p) => `${file}: ${p}`));
  return resolveUnits(parsed.data);
}

export function loadScenario(file: string, sets: readonly string[] = []): ResolvedScenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ScenarioError([`${file}: cannot read: ${(e as Error).message}`]);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text); // YAML is a superset of JSON
  } catch (e) {
    throw new ScenarioError([`${file}: not valid YAML or JSON: ${(e as Error).message.split('\n')[0]}`]);
  }
  return resolveScenario(raw, file, sets);
}
