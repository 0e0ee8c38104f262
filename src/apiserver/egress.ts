// An API server instance's network egress: one FIFO link of fixed bandwidth. Each watch event is
// serialized once and written to every watcher's stream in turn, so watcher k of n receives it when
// the k-th copy has left the link: start + k·S/B, where start waits for the bytes queued ahead.
// Bandwidth 0 means unlimited (every copy leaves at once).
import type { Micros } from '../engine/time.js';

export class EgressLink {
  /** When the link has sent everything queued so far (µs, fractional). */
  private busyUntil = 0;
  /** Bytes written to the link in all. */
  bytesSent = 0;
  /** When each event queued so far has reached its last watcher (for counting events in flight). */
  private readonly completions: number[] = [];
  private completionsHead = 0;

  constructor(
    /** Bytes per second; 0 = unlimited. */
    readonly bandwidth: number,
  ) {}

  /** Queues `copies` copies of `bytes`; returns when the first copy starts and the time per copy (µs). */
  send(now: Micros, bytes: number, copies: number): { start: number; perCopy: number } {
    this.bytesSent += bytes * copies;
    if (this.bandwidth === 0) return { start: now, perCopy: 0 };
    const perCopy = (bytes * 1e6) / this.bandwidth;
    const start = Math.max(now, this.busyUntil);
    this.busyUntil = start + perCopy * copies;
    this.completions.push(this.busyUntil);
    return { start, perCopy };
  }

  /** When everything queued so far has left the link. */
  get drainedAt(): number {
    return this.busyUntil;
  }

  /** Bytes queued but not yet sent at `now` (whole bytes). */
  inFlight(now: number): number {
    if (this.bandwidth === 0) return 0;
    return Math.round(Math.max(0, ((this.busyUntil - now) * this.bandwidth) / 1e6));
  }

  /** Events not yet received by all their watchers at `now` (now must not go back). */
  eventsInFlight(now: number): number {
    while (this.completionsHead < this.completions.length && this.completions[this.completionsHead] <= now) this.completionsHead++;
    if (this.completionsHead > 4096) {
      this.completions.splice(0, this.completionsHead);
      this.completionsHead = 0;
    }
    return this.completions.length - this.completionsHead;
  }

  /** Bytes that have left the link by `now`. */
  delivered(now: number): number {
    return this.bytesSent - this.inFlight(now);
  }
}
