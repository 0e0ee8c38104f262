// An API server instance's network egress: one FIFO link of fixed bandwidth. Each watch event is
// serialized once and written to every watcher's stream in turn, so watcher k of n receives it when
// the k-th copy has left the link: start + k·S/B, where start waits for the bytes queued ahead.
// Bandwidth 0 means unlimited (every copy leaves at once).
import type { Micros } from '../engine/time.js';

export class EgressLink {
  /** When the link has sent everything queued so far (µs, fractional). */
  private busyUntil = 0;
  /** Bytes written to the link in all, less those taken back (`unsend`). */
  bytesSent = 0;
  /**
   * Bytes ever handed to the link, never decreasing: what timeseries.csv's cumulative
   * `egress_sent_bytes` reports (taking back a closed watcher's queue would otherwise make it go
   * down; run.json's books count those bytes apart as droppedBytes).
   */
  bytesHanded = 0;

  constructor(
    /** Bytes per second; 0 = unlimited. */
    readonly bandwidth: number,
  ) {}

  /** Queues `copies` copies of `bytes`; returns when the first copy starts and the time per copy (µs). */
  send(now: Micros, bytes: number, copies: number): { start: number; perCopy: number } {
    this.bytesSent += bytes * copies;
    this.bytesHanded += bytes * copies;
    if (this.bandwidth === 0) return { start: now, perCopy: 0 };
    const perCopy = (bytes * 1e6) / this.bandwidth;
    const start = Math.max(now, this.busyUntil);
    this.busyUntil = start + perCopy * copies;
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

  /** Takes back bytes queued but never sent (the queue of a watcher that was cut off). */
  unsend(now: number, bytes: number): void {
    this.bytesSent -= bytes;
    if (this.bandwidth > 0) this.busyUntil = Math.max(now, this.busyUntil - (bytes * 1e6) / this.bandwidth);
  }

  /** Bytes that have left the link by `now`. */
  delivered(now: number): number {
    return this.bytesSent - this.inFlight(now);
  }
}
