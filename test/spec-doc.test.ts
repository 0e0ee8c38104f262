// docs/SPEC.md (the repository's copy of the contract) against the code: every scenario key of the
// schema, every result column and file, and every command is written down there, so the document
// cannot drift behind the program again (session 4 found watchBufferEvents, latency.csv, frontier and
// report, and a dozen keys missing or out of date).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_DIR } from './paths.js';
import { Scenario } from '../src/scenario/schema.js';
import { defOf, unwrap } from '../src/scenario/schema-walk.js';
import { SUMMARY_COLUMNS, TIMESERIES_COLUMNS } from '../src/report/summary.js';
import { TRAFFIC_COLUMNS } from '../src/report/topology.js';
import { KNOWN_RESULT_FILES } from '../src/cli/out-dir.js';

const spec = readFileSync(join(REPO_DIR, 'docs/SPEC.md'), 'utf8');
const main = readFileSync(join(REPO_DIR, 'src/cli/main.ts'), 'utf8');

/** Every key of an object schema, recursively (list items and union members included), as `parent.key`. */
function keys(schema: unknown, prefix: string, out: Set<string>): Set<string> {
  const s = unwrap(schema, undefined) ?? schema;
  const def = defOf(s);
  if (def.type === 'object') {
    for (const [k, sub] of Object.entries(def.shape as Record<string, unknown>)) {
      out.add(`${prefix}${k}`);
      keys(sub, `${k}.`, out);
    }
  } else if (def.type === 'array') keys(def.element, prefix, out);
  else if (def.type === 'union') for (const o of def.options as unknown[]) keys(o, prefix, out);
  else if (['default', 'optional', 'pipe'].includes(def.type as string)) keys(def.innerType ?? def.in, prefix, out);
  return out;
}

describe('docs/SPEC.md covers the program', () => {
  it('every scenario key of the schema is written there (as a YAML key, a table entry or in backquotes)', () => {
    const all = keys(Scenario, '', new Set());
    expect(all.size).toBeGreaterThan(60);
    const missing = [...all].filter((path) => {
      const key = path.split('.').pop()!;
      return !new RegExp(`(^|[\\s{,\`])${key}:|\`${key}\`|\\b[a-zA-Z.]*\\.${key}\\b|\\| \`${key}\``, 'm').test(spec);
    });
    expect(missing).toEqual([]);
  });

  it('apiserver.watchBufferEvents is optional there (absent: the cacher sizes it, 10..100), as in the schema', () => {
    const line = spec.split('\n').find((l) => /^\s+watchBufferEvents:/.test(l))!;
    expect(line).toMatch(/optional; absent = the cacher's own sizing/);
    const apiserver = unwrap((defOf(unwrap(Scenario, undefined)).shape as Record<string, unknown>).apiserver, undefined);
    expect(defOf((defOf(apiserver).shape as Record<string, unknown>).watchBufferEvents).type).toBe('optional');
  });

  it('every summary.csv, timeseries.csv and traffic column and every result file is named there', () => {
    for (const c of [...SUMMARY_COLUMNS, ...TIMESERIES_COLUMNS, ...TRAFFIC_COLUMNS]) expect(spec, c).toContain(`${c}`);
    for (const f of KNOWN_RESULT_FILES) expect(spec, f).toContain(`\`${f}\``);
  });

  it('every command of the CLI is in a command table there', () => {
    const commands = [...main.matchAll(/\.command\(\s*'(\w+) /g)].map((m) => m[1]);
    expect(commands.length).toBeGreaterThanOrEqual(8);
    for (const c of commands) expect(spec, c).toMatch(new RegExp(`\\| \`slicesim ${c}\\b`));
  });
});
