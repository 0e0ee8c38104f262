// Reading scenario files: YAML or JSON, `--set key.path=value` overrides, schema validation, and the
// checks that span keys. Every problem is reported with the file, the key path, what was wrong and
// what is allowed; callers exit 2 and write nothing.
import { z } from 'zod';
import { Scenario, type Delay } from './schema.js';
import { checkLimits } from './limits.js';
import { duration } from './units.js';
import { ScenarioError, formatPath } from './errors.js';
import { applySet } from './set.js';
import { allowedKeysAt } from './schema-walk.js';
import { InputError, readDocument } from '../cli/input.js';
import { applyVersionProfile } from './versions.js';
import { resolveUnits, type ResolvedScenario } from './resolve.js';

export { ScenarioError, formatPath } from './errors.js';
export { applySet } from './set.js';

/** At most this many unknown keys are listed (a file with thousands of them gets the first ones and a count). */
const MAX_UNKNOWN_REPORTED = 20;

/** A value as the file wrote it: YAML's .nan and .inf (and 1e400, read as infinity) stay visible. */
function show(v: unknown): string {
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? '.nan' : v > 0 ? '.inf (or a number too large)' : '-.inf';
  return JSON.stringify(v);
}

function describeIssues(issues: readonly z.core.$ZodIssue[], raw: unknown, file: string): string[] {
  const out: string[] = [];
  let unknown = 0;
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') {
      out.push(`${file}: ${describeIssue(issue, raw)}`);
      continue;
    }
    const allowed = allowedKeysAt(Scenario, raw, issue.path).join(', ');
    for (const k of issue.keys) {
      if (unknown++ < MAX_UNKNOWN_REPORTED) out.push(`${file}: ${formatPath([...issue.path, k])}: unknown key; allowed keys here: ${allowed}`);
    }
  }
  if (unknown > MAX_UNKNOWN_REPORTED) out.push(`${file}: … and ${unknown - MAX_UNKNOWN_REPORTED} more unknown keys`);
  return out;
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  const at = formatPath(issue.path);
  const got = valueAt(raw, issue.path);
  if (issue.code === 'invalid_value') return `${at}: got ${show(got)}; allowed: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  if (issue.code === 'invalid_type' && got === undefined) return `${at}: required key is missing (${issue.message})`;
  return `${at}: ${issue.message}${got !== undefined && (typeof got !== 'object' || got === null) ? ` (got ${show(got)})` : ''}`;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v = raw;
  for (const k of path) v = v && typeof v === 'object' && Object.hasOwn(v, k) ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/** Distributions that can be drawn: a lognormal needs a median above 0 and a p99 at least the median; a uniform min ≤ max. */
function checkDistribution(at: string, d: Delay): string[] {
  if (typeof d === 'string') return [];
  if (d.dist === 'uniform' && duration(d.min) > duration(d.max)) return [`${at}.min: ${d.min} is more than max ${d.max}; a uniform distribution needs min ≤ max`];
  if (d.dist === 'lognormal') {
    if (duration(d.median) <= 0) return [`${at}.median: must be more than 0 for a lognormal distribution (use {dist: fixed, value: 0s} for no delay)`];
    if (duration(d.p99) < duration(d.median)) return [`${at}.p99: ${d.p99} is less than the median ${d.median}; a lognormal needs p99 ≥ median`];
  }
  return [];
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
  const zones = new Set(s.cluster.zones);
  if (typeof s.cluster.nodeCPU === 'object') {
    for (const z of Object.keys(s.cluster.nodeCPU)) if (!zones.has(z)) problems.push(`cluster.nodeCPU.${z}: no zone "${z}"; zones: ${s.cluster.zones.join(', ')}`);
    for (const z of s.cluster.zones) if (!(z in s.cluster.nodeCPU)) problems.push(`cluster.nodeCPU: zone "${z}" has no CPU; give every zone its cores`);
  }
  if (s.cluster.controlPlaneNodes >= s.cluster.nodes) problems.push(`cluster.controlPlaneNodes: ${s.cluster.controlPlaneNodes} leaves no worker node; expected fewer than cluster.nodes (${s.cluster.nodes})`);
  s.services.forEach((svc, i) => {
    svc.zones?.forEach((z, j) => {
      // Nodes go round-robin over cluster.zones: zone k has nodes only when there are more than k nodes.
      const k = s.cluster.zones.indexOf(z);
      if (k < 0) problems.push(`services[${i}].zones[${j}]: no zone "${z}"; zones: ${s.cluster.zones.join(', ')}`);
      else if (k >= s.cluster.nodes) problems.push(`services[${i}].zones[${j}]: zone "${z}" has no node (cluster.nodes ${s.cluster.nodes})`);
    });
    const from = svc.traffic?.from;
    if (from !== undefined && typeof from === 'object') {
      for (const z of Object.keys(from)) if (!zones.has(z)) problems.push(`services[${i}].traffic.from.${z}: no zone "${z}"; zones: ${s.cluster.zones.join(', ')}`);
      if (!Object.values(from).some((x) => x > 0)) problems.push(`services[${i}].traffic.from: expected at least one zone with a share > 0`);
    }
    if (svc.addressType === 'FQDN' && svc.ipFamilies.length > 1) problems.push(`services[${i}].addressType: FQDN services have one address type; use ipFamilies [IPv4]`);
    for (const [key, d] of Object.entries(svc.pod)) {
      if (typeof d === 'object' && d !== null && 'dist' in d) problems.push(...checkDistribution(`services[${i}].pod.${key}`, d as Delay));
    }
  });
  return problems;
}

/**
 * Parses and validates one scenario document and resolves its units (durations, sizes, bandwidths,
 * distributions) once; throws ScenarioError with every problem found.
 */
export function resolveScenario(raw: unknown, file: string, sets: readonly string[] = []): ResolvedScenario {
  try {
    return resolveChecked(raw, file, sets);
  } catch (e) {
    // A document nested thousands of levels deep overflows the stack of any recursive walk.
    if (e instanceof RangeError && /call stack/.test(e.message)) throw new ScenarioError([`${file}: nested too deeply (a scenario is a few levels of mappings and lists)`]);
    throw e;
  }
}

function resolveChecked(raw: unknown, file: string, sets: readonly string[]): ResolvedScenario {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new ScenarioError([`${file}: expected a mapping of scenario keys (name, cluster, services, …)`]);
  const doc = structuredClone(raw) as Record<string, unknown>;
  for (const s of sets) applySet(doc, s);
  // The version profile fills in what the file and --set leave out (explicit keys win).
  const versionProblem = applyVersionProfile(doc);
  if (versionProblem) throw new ScenarioError([`${file}: ${versionProblem}`]);
  const parsed = Scenario.safeParse(doc);
  if (!parsed.success) throw new ScenarioError(describeIssues(parsed.error.issues, doc, file));
  const problems = checkConsistency(parsed.data);
  // Size limits only once the scenario is consistent (they follow steps to their services).
  if (!problems.length) problems.push(...checkLimits(parsed.data));
  if (problems.length) throw new ScenarioError(problems.map((p) => `${file}: ${p}`));
  return resolveUnits(parsed.data);
}

/** Reads and validates a scenario file (`-`: standard input). */
export function loadScenario(file: string, sets: readonly string[] = []): ResolvedScenario {
  let raw: unknown;
  try {
    raw = readDocument(file);
  } catch (e) {
    if (e instanceof InputError) throw new ScenarioError([`${file}: ${e.message}`]);
    throw e;
  }
  return resolveScenario(raw, file, sets);
}
