// `--set key.path=value`: one scenario key overridden on the raw document before validation. List
// items are addressed by index or by `name` (services.web.replicas). A path must name a key the schema
// allows (or an item that exists); `__proto__`, `constructor` and `prototype` are never keys. The value
// is read as YAML (numbers, lists, maps) and checked with the rest of the scenario.
import { parse as parseYaml } from 'yaml';
import { Scenario } from './schema.js';
import { allowedKeysAt, kindAt } from './schema-walk.js';
import { formatPath, ScenarioError } from './errors.js';

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

const isMapping = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);

export function applySet(doc: Record<string, unknown>, assignment: string): void {
  const fail = (why: string): never => {
    throw new ScenarioError([`--set ${assignment}: ${why}`]);
  };
  const eq = assignment.indexOf('=');
  if (eq <= 0) fail('expected key.path=value, e.g. cluster.nodes=5000 or services.web.replicas=500');
  const segments = assignment.slice(0, eq).split('.');
  if (segments.some((s) => s === '')) fail('empty key in the path; keys are separated by single dots');
  const bad = segments.find((s) => FORBIDDEN.has(s));
  if (bad !== undefined) fail(`"${bad}" is not a scenario key`);
  let value: unknown;
  try {
    value = parseYaml(assignment.slice(eq + 1));
  } catch (e) {
    fail(`the value is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }

  const path: PropertyKey[] = [];
  let container: unknown = doc;
  segments.forEach((seg, i) => {
    let key: PropertyKey;
    if (Array.isArray(container)) {
      const list = container;
      if (/^\d+$/.test(seg)) {
        key = Number(seg);
        if (key >= list.length) fail(`${formatPath([...path, key])} names nothing: ${formatPath(path)} has ${list.length} item${list.length === 1 ? '' : 's'}${list.length ? ` (0..${list.length - 1})` : ''}`);
      } else {
        key = list.findIndex((x) => isMapping(x) && x.name === seg);
        if (key < 0) {
          const names = list.filter(isMapping).map((x) => x.name).filter((n) => typeof n === 'string');
          fail(`${formatPath(path)} has no item named "${seg}"${names.length ? `; names: ${names.join(', ')}` : ''} (items are addressed by index or by name)`);
        }
      }
    } else if (isMapping(container)) {
      key = seg;
      const kind = kindAt(Scenario, doc, path);
      if (kind !== 'record' && !Object.hasOwn(container, seg)) {
        const allowed = allowedKeysAt(Scenario, doc, path);
        if (!allowed.includes(seg)) fail(`${formatPath([...path, seg])} names nothing${allowed.length ? `; allowed keys here: ${allowed.join(', ')}` : ''}`);
      }
    } else {
      return fail(`${formatPath(path)} is ${JSON.stringify(container)}, not a mapping or list`);
    }
    path.push(key);
    const holder = container as Record<PropertyKey, unknown>;
    if (i === segments.length - 1) {
      holder[key] = value;
      return;
    }
    if (holder[key] === undefined || holder[key] === null) holder[key] = kindAt(Scenario, doc, path) === 'array' ? [] : {};
    container = holder[key];
  });
}
