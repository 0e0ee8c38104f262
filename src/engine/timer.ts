// A one-shot timer that can be re-armed or cancelled. Lazy cancellation: every arming bumps a
// generation number carried by the event, and an event whose generation is stale does nothing.
import type { Simulator } from './simulator.js';
import type { Micros } from './time.js';

export class Timer {
  private generation = 0;
  private armed = false;
  private dueAt = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly onFire: () => void,
  ) {}

  get pending(): boolean {
    return this.armed;
  }

  /** Due time when pending. */
  get due(): Micros {
    return this.dueAt as Micros;
  }

  /** Fires after `delay`, replacing any earlier arming. */
  arm(delay: Micros): void {
    this.armed = true;
    this.dueAt = this.sim.now + delay;
    this.sim.schedule(delay, this.fire, ++this.generation);
  }

  cancel(): void {
    this.armed = false;
    this.generation++;
  }

  private readonly fire = (generation: number): void => {
    if (generation !== this.generation || !this.armed) return;
    this.armed = false;
    this.onFire();
  };
}
