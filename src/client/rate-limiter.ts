// client-go's token bucket (flowcontrol.NewTokenBucketRateLimiter): `qps` tokens per second, at
// most `burst` saved up. Each API request takes one token; a request without one waits for it.
import type { Simulator } from '../engine/simulator.js';
import { micros, MICROS_PER_SECOND, type Micros } from '../engine/time.js';

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly sim: Simulator,
    private readonly qps: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
    this.updatedAt = sim.now;
  }

  /** Takes a token now or in the future; returns how long the caller must wait for it. */
  reserve(): Micros {
    const now = this.sim.now;
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) * this.qps) / MICROS_PER_SECOND);
    this.updatedAt = now;
    this.tokens -= 1;
    if (this.tokens >= 0) return micros(0);
    return micros(Math.ceil((-this.tokens * MICROS_PER_SECOND) / this.qps));
  }
}

/** Per-item exponential backoff (workqueue.ItemExponentialFailureRateLimiter). */
export class ItemBackoff {
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly base: Micros,
    private readonly max: Micros,
  ) {}

  when(key: string): Micros {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    return micros(Math.min(this.max, this.base * 2 ** n));
  }

  retries(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  forget(key: string): void {
    this.failures.delete(key);
  }
}
