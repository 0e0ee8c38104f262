// Delays written as data in scenarios (a duration or a distribution), drawn from the run's generator.
import type { Rng } from '../engine/rng.js';
import { micros, type Micros } from '../engine/time.js';
import type { Delay } from '../scenario/schema.js';
import { duration } from '../scenario/units.js';

/** z-score of the 99th percentile of a standard normal. */
const Z99 = 2.3263478740408408;

export function drawDelay(d: Delay, rng: Rng): Micros {
  if (typeof d === 'string') return duration(d);
  switch (d.dist) {
    case 'fixed':
      return duration(d.value);
    case 'uniform':
      return micros(rng.uniform(duration(d.min), duration(d.max)));
    case 'exponential':
      return micros(rng.exponential(duration(d.mean)));
    case 'lognormal': {
      // median = e^mu, p99 = e^(mu + Z99 sigma)
      const mu = Math.log(duration(d.median));
      const sigma = Math.max(0, (Math.log(duration(d.p99)) - mu) / Z99);
      return micros(Math.exp(mu + sigma * rng.normal()));
    }
  }
}
