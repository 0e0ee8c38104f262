// client-go's rate-limited delaying work queue, as controllers use it: keys are de-duplicated; a key
// is processed by one worker at a time, and an add during processing makes it run once more after;
// AddAfter keeps the earliest due time when the key is already waiting.
import type { Simulator } from '../engine/simulator.js';
import { micros, type Micros } from '../engine/time.js';

/** Called when a worker picks up `key`; must call `done()` exactly once when the sync ends. */
export type SyncHandler = (key: string, done: () => void) => void;

export class WorkQueue {
  private readonly queue: string[] = [];
  private head = 0;
  private readonly queued = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly dirty = new Set<string>();
  /** key -> due time of its pending AddAfter. */
  private readonly waiting = new Map<string, number>();
  private idleWorkers: number;
  private wakeScheduled = false;

  constructor(
    private readonly sim: Simulator,
    workers: number,
    private readonly sync: SyncHandler,
  ) {
    this.idleWorkers = workers;
  }

  add(key: string): void {
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(key);
    this.startWorkers();
  }

  addAfter(key: string, delay: Micros): void {
    if (delay <= 0) return this.add(key);
    const due = this.sim.now + delay;
    const current = this.waiting.get(key);
    if (current !== undefined && current <= due) return;
    this.waiting.set(key, due);
    this.sim.schedule(micros(delay), () => {
      // Only the arming that still holds the earliest due time fires.
      if (this.waiting.get(key) !== due) return;
      this.waiting.delete(key);
      this.add(key);
    });
  }

  get length(): number {
    return this.queue.length - this.head;
  }

  /** Workers wake after the current event, as goroutines would: changes made in one event are seen together. */
  private startWorkers(): void {
    if (this.wakeScheduled || this.idleWorkers === 0 || this.head >= this.queue.length) return;
    this.wakeScheduled = true;
    this.sim.schedule(micros(0), this.runWorkers);
  }

  private readonly runWorkers = (): void => {
    this.wakeScheduled = false;
    while (this.idleWorkers > 0 && this.head < this.queue.length) {
      const key = this.queue[this.head++];
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      this.queued.delete(key);
      this.processing.add(key);
      this.idleWorkers--;
      this.sync(key, () => this.done(key));
    }
  };

  private done(key: string): void {
    this.processing.delete(key);
    this.idleWorkers++;
    if (this.dirty.delete(key)) this.add(key);
    else this.startWorkers();
  }
}
