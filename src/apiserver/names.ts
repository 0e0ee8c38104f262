// Names and UIDs as the API server makes them, drawn from the run's one generator: generateName's
// random suffix (apiserver's SimpleNameGenerator, 5 characters from utilrand's alphabet without
// vowels and look-alike characters) and version-4 UUIDs.
import type { Rng } from '../engine/rng.js';

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function randomString(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHABET[rng.int(ALPHABET.length)];
  return s;
}

const hex8 = (n: number) => n.toString(16).padStart(8, '0');

/** A version-4 UUID from the run's generator: 128 random bits, version and variant nibbles set. */
export function uuid(rng: Rng): string {
  const a = hex8(rng.uint32());
  const b = rng.uint32();
  const c = rng.uint32();
  const d = hex8(rng.uint32());
  const version = `4${hex8(b).slice(5)}`; // time_hi_and_version: 4xxx
  const variant = (8 + (c >>> 30)).toString(16) + hex8(c).slice(1, 4); // 8, 9, a or b, then 3 random
  return `${a}-${hex8(b).slice(0, 4)}-${version}-${variant}-${hex8(c).slice(4)}${d}`;
}
