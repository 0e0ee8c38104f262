// Simulated time: integer microseconds held in a number (exact up to 2^53 µs, about 285 years).
// The brand keeps seconds or milliseconds from being passed where microseconds are meant.

export type Micros = number & { readonly __unit: 'µs' };

export const MICROS_PER_SECOND = 1_000_000;

export function micros(n: number): Micros {
  return Math.round(n) as Micros;
}

export function seconds(s: number): Micros {
  return micros(s * MICROS_PER_SECOND);
}

export function toSeconds(t: Micros): number {
  return t / MICROS_PER_SECOND;
}

export function toMillis(t: Micros): number {
  return t / 1000;
}
