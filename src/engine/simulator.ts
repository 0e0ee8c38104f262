// The simulation loop: a clock and the future-event list. Components schedule callbacks
// (handler, numeric argument); there are no promises or closures per event on the hot path.
import { EventQueue, type Handler } from './event-queue.js';
import { micros, type Micros } from './time.js';

export class Simulator {
  private readonly queue = new EventQueue();
  private clock = 0 as Micros;
  private stopped = false;
  /** Events that keep time (periodic ticks) but are not work: the run ends when only they are left. */
  private background = 0;
  eventsRun = 0;

  get now(): Micros {
    return this.clock;
  }

  /** Runs `handler(arg)` after `delay` (≥ 0) from now. */
  schedule(delay: Micros, handler: Handler, arg = 0): void {
    if (!(delay >= 0)) throw new RangeError(`negative or invalid delay ${delay}`);
    this.queue.push(micros(this.clock + delay), handler, arg);
  }

  /** Runs `handler(arg)` at absolute time `at` (not before now). */
  scheduleAt(at: Micros, handler: Handler, arg = 0): void {
    this.schedule(micros(Math.max(0, at - this.clock)), handler, arg);
  }

  /** Schedules a background event (a periodic tick): it runs in order but does not keep the run going. */
  scheduleBackground(delay: Micros, handler: () => void): void {
    this.background++;
    this.schedule(delay, () => {
      this.background--;
      handler();
    });
  }

  /** Events still to run, background ones excluded. */
  get pending(): number {
    return this.queue.length - this.background;
  }

  /** Stops run() after the current event. */
  stop(): void {
    this.stopped = true;
  }

  /**
   * Runs events in (time, scheduling order) until none are left, stop() is called, or the next event
   * lies after `until`; the clock then stands at the last event run (or at `until` if given).
   */
  run(until: number = Infinity): void {
    this.stopped = false;
    while (!this.stopped && this.queue.length > this.background) {
      const t = this.queue.peekTime();
      if (t === Infinity || t > until) break;
      this.clock = t as Micros;
      this.queue.popAndRun();
      this.eventsRun++;
    }
    if (until !== Infinity && !this.stopped && this.clock < until) this.clock = micros(until);
  }
}
