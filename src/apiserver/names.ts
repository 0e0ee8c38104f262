// Names and UIDs as the API server makes them, drawn from the run's one generator: generateName's
// random suffix (apiserver's SimpleNameGenerator, 5 characters from utilrand's alphabet without
// vowels and look-alike characters) and version-4 UUIDs.
import type { Rng } from '../engine/rng.js';

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function randomString(rng: Rng, n: number): string {
  return codeString(randomCode(rng, n), n);
}

/** n random letters of the alphabet as one number (base 27, first letter most significant); n <= 11. */
export function randomCode(rng: Rng, n: number): number {
  let code = 0;
  for (let i = 0; i < n; i++) code = code * ALPHABET.length + rng.int(ALPHABET.length);
  return code;
}

/** The letters of a randomCode. */
export function codeString(code: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    s = ALPHABET[code % ALPHABET.length] + s;
    code = Math.floor(code / ALPHABET.length);
  }
  return s;
}

const HEX2 = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const hex8 = (n: number) => HEX2[n >>> 24] + HEX2[(n >>> 16) & 255] + HEX2[(n >>> 8) & 255] + HEX2[n & 255];

/** A version-4 UUID from the run's generator: 128 random bits, version and variant nibbles set. */
export function uuid(rng: Rng): string {
  const a = hex8(rng.uint32());
  const b = hex8(rng.uint32());
  const c = rng.uint32();
  const cHex = hex8(c);
  const d = hex8(rng.uint32());
  const variant = (8 + (c >>> 30)).toString(16) + cHex.slice(1, 4); // 8, 9, a or b, then 3 random
  return `${a}-${b.slice(0, 4)}-4${b.slice(5)}-${variant}-${cHex.slice(4)}${d}`;
}
