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

const HEX = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const DASH = '-'.charCodeAt(0);
/** The 36 character codes of the UUID being written (one array reused: uuid is called once per pod). */
const UUID_CODES: number[] = new Array(36).fill(0);

/** Writes hex digits `first` to `last` - 1 of the 32-bit `n` (digit 0 the most significant) at `at`; returns the next index. */
function hexDigits(at: number, n: number, first: number, last: number): number {
  for (let k = first; k < last; k++) UUID_CODES[at++] = HEX[(n >>> (28 - 4 * k)) & 15];
  return at;
}

/**
 * A version-4 UUID from the run's generator: 128 random bits, version and variant nibbles set.
 * Written as character codes and made a string once: concatenating its parts left a rope of a dozen
 * strings per pod for the garbage collector (a uid outlives the young generation with its pod).
 */
export function uuid(rng: Rng): string {
  const a = rng.uint32();
  const b = rng.uint32();
  const c = rng.uint32();
  const d = rng.uint32();
  const codes = UUID_CODES;
  let i = hexDigits(0, a, 0, 8);
  codes[i++] = DASH;
  i = hexDigits(i, b, 0, 4);
  codes[i++] = DASH;
  codes[i++] = HEX[4]; // version 4 in place of b's fifth digit
  i = hexDigits(i, b, 5, 8);
  codes[i++] = DASH;
  codes[i++] = HEX[8 + (c >>> 30)]; // variant: 8, 9, a or b, then 3 random
  i = hexDigits(i, c, 1, 4);
  codes[i++] = DASH;
  i = hexDigits(i, c, 4, 8);
  hexDigits(i, d, 0, 8);
  return String.fromCharCode.apply(null, codes);
}
