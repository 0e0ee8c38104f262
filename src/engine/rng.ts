// Seeded random generators: one stream per purpose of a run (stream()), each drawn in event order, so
// the same scenario and seed give the same results. Never use Math.random here.
import seedrandom from 'seedrandom';

/**
 * The random streams of a run, one per purpose, each derived from the run's seed (DESIGN "Random
 * streams per component"): a draw in one never shifts another, and the controllers draw from none of
 * the workload's, so both models of a run see the same pods, delays, victims and churn.
 */
export type StreamPurpose = 'apiserver' | 'services' | 'pods' | 'pod-delays' | 'victims' | 'churn';

export function stream(seed: number | string, purpose: StreamPurpose): Rng {
  return new Rng(`${seed}/${purpose}`);
}

export class Rng {
  private readonly prng: seedrandom.PRNG;
  private readonly next: () => number;

  constructor(seed: number | string) {
    this.prng = seedrandom(String(seed));
    this.next = this.prng;
  }

  /** Uniform 32-bit unsigned integer (one draw, cheaper than float() for bits). */
  uint32(): number {
    return this.prng.int32() >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Standard normal by Box–Muller (one draw per call keeps the sequence simple to reason about). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** k distinct indices from [0, n), in random order (partial Fisher–Yates). */
  sample(n: number, k: number): number[] {
    const idx = Array.from({ length: n }, (_, i) => i);
    const m = Math.min(k, n);
    for (let i = 0; i < m; i++) {
      const j = i + this.int(n - i);
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    return idx.slice(0, m);
  }
}
