// Flags are checked like scenario keys (SPEC.md "Safety of the command line"): each flag at most
// once, `--seed` an integer, `--models` a subset of the models without repeats. Bad flags are
// UsageErrors (exit 2) naming the flag and what is allowed.
import { createHash } from 'node:crypto';
import type { Model } from '../scenario/schema.js';
import { UsageError } from './errors.js';

export const MODELS: readonly Model[] = ['endpoints', 'endpointslices'];

/** The one value of a flag that may be given once (yargs collects repeats into an array). */
export function once<T>(flag: string, v: T | T[] | undefined): T | undefined {
  if (Array.isArray(v)) {
    if (v.length > 1) throw new UsageError(`--${flag} is given ${v.length} times (${v.join(', ')}); give it once`);
    return v[0];
  }
  return v;
}

export function parseSeed(v: unknown): number | undefined {
  const text = once('seed', v as string | undefined);
  if (text === undefined) return undefined;
  const s = String(text).trim();
  const n = Number(s);
  if (!/^-?\d+$/.test(s) || !Number.isSafeInteger(n)) throw new UsageError(`--seed: expected an integer, got ${JSON.stringify(String(text))}`);
  return n;
}

export function parseModels(v: unknown): Model[] | undefined {
  const list = once('models', v as string | undefined);
  if (list === undefined) return undefined;
  const models = String(list).split(',').map((m) => m.trim());
  const allowed = `allowed: a comma-separated subset of ${MODELS.join(', ')}`;
  for (const m of models) if (!MODELS.includes(m as Model)) throw new UsageError(`--models: unknown model ${JSON.stringify(m)}; ${allowed}`);
  const repeated = models.find((m, i) => models.indexOf(m) !== i);
  if (repeated) throw new UsageError(`--models: ${repeated} is named twice; ${allowed}, each at most once`);
  return models as Model[];
}

/** A whole number ≥ min (and ≤ max) for a numeric flag. */
export function parseCount(flag: string, v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const text = once(flag, v as string | number | undefined);
  if (text === undefined) return undefined;
  const s = String(text).trim();
  const n = Number(s);
  if (!/^\d+$/.test(s) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${flag}: expected a whole number ${max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `${min}..${max}`}, got ${JSON.stringify(s)}`);
  }
  return n;
}

/** Eight hex digits naming a set of overrides, for the folder of a run that is not the committed scenario. */
export function overridesHash(overrides: unknown): string {
  return createHash('sha256').update(JSON.stringify(overrides)).digest('hex').slice(0, 8);
}
