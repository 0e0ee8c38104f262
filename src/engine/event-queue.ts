// The future-event list: a binary min-heap keyed by (time, sequence number), stored as parallel typed
// arrays so that scheduling allocates nothing. Equal times pop in scheduling order, which makes every
// run deterministic. There is no removal: cancellation is lazy (see Timer), stale events are no-ops.
import type { Micros } from './time.js';
import { doubled } from './float64.js';

export type Handler = (arg: number) => void;

export class EventQueue {
  private times = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private args = new Float64Array(1024);
  private handlers: Handler[] = [];
  private size = 0;
  private nextSeq = 0;

  get length(): number {
    return this.size;
  }

  /** Adds an event; O(log n). */
  push(time: Micros, handler: Handler, arg: number): void {
    if (this.size === this.times.length) this.grow();
    const seq = this.nextSeq++;
    let i = this.size++;
    // Sift up: move parents down until the slot for (time, seq) is found.
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.times[p] < time || (this.times[p] === time && this.seqs[p] < seq)) break;
      this.move(p, i);
      i = p;
    }
    this.set(i, time, seq, arg, handler);
  }

  /** Time of the next event, or Infinity. */
  peekTime(): number {
    return this.size > 0 ? this.times[0] : Infinity;
  }

  /** Removes the next event and runs its handler; returns false when the queue is empty. */
  popAndRun(): boolean {
    if (this.size === 0) return false;
    const handler = this.handlers[0];
    const arg = this.args[0];
    this.removeHead();
    handler(arg);
    return true;
  }

  private removeHead(): void {
    const last = --this.size;
    if (last === 0) {
      this.handlers[0] = undefined as unknown as Handler;
      return;
    }
    const time = this.times[last];
    const seq = this.seqs[last];
    const arg = this.args[last];
    const handler = this.handlers[last];
    this.handlers[last] = undefined as unknown as Handler;
    let i = 0;
    // Sift down the former last element from the root.
    for (;;) {
      let c = 2 * i + 1;
      if (c >= last) break;
      const r = c + 1;
      if (r < last && (this.times[r] < this.times[c] || (this.times[r] === this.times[c] && this.seqs[r] < this.seqs[c]))) c = r;
      if (time < this.times[c] || (time === this.times[c] && seq < this.seqs[c])) break;
      this.move(c, i);
      i = c;
    }
    this.set(i, time, seq, arg, handler);
  }

  private move(from: number, to: number): void {
    this.times[to] = this.times[from];
    this.seqs[to] = this.seqs[from];
    this.args[to] = this.args[from];
    this.handlers[to] = this.handlers[from];
  }

  private set(i: number, time: number, seq: number, arg: number, handler: Handler): void {
    this.times[i] = time;
    this.seqs[i] = seq;
    this.args[i] = arg;
    this.handlers[i] = handler;
  }

  private grow(): void {
    this.times = doubled(this.times);
    this.seqs = doubled(this.seqs);
    this.args = doubled(this.args);
  }
}
