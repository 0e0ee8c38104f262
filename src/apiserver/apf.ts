// API Priority and Fairness as it charges writes with many watchers (kubernetes/apiserver
// pkg/util/flowcontrol/request/mutating_work_estimator.go, config.go): a write seen by W ≥ 10 watchers
// holds ceil(W / 10) seats (at most 10) for ceil(W / 10) × 5 ms spread over those seats, after it is
// done, for the watch events it causes. The seats come from its priority level's concurrency; a write
// that finds too few free waits for them (apf_filter / queueset: a request needs its widest seat count
// free to be dispatched).

/** watchesPerSeat, eventAdditionalDuration (µs) and MaximumMutatingSeatsLimit (config.go). */
export const WATCHES_PER_SEAT = 10;
export const EVENT_ADDITIONAL_DURATION = 5_000;
export const MAXIMUM_MUTATING_SEATS = 10;

export interface WorkEstimate {
  /** Seats held after the write, and for how long (µs). */
  finalSeats: number;
  additionalLatency: number;
}

/** The mutating work estimator for a write with `watchers` watchers, on a priority level of `levelSeats`. */
export function mutatingWorkEstimate(watchers: number, levelSeats: number): WorkEstimate {
  if (watchers < WATCHES_PER_SEAT) return { finalSeats: 0, additionalLatency: 0 };
  const seats = Math.ceil(watchers / WATCHES_PER_SEAT);
  const finalSeats = Math.min(seats, MAXIMUM_MUTATING_SEATS, levelSeats);
  return { finalSeats, additionalLatency: (seats * EVENT_ADDITIONAL_DURATION) / finalSeats };
}

/** One priority level's seats (the controllers' workload-high). */
export class PriorityLevel {
  /** Seats held until a time, oldest release first. */
  private readonly held: { until: number; seats: number }[] = [];
  /** Time writes spent waiting for seats, µs. */
  waited = 0;

  constructor(readonly seats: number) {}

  private inUse(now: number): number {
    while (this.held.length > 0 && this.held[0].until <= now) this.held.shift();
    return this.held.reduce((n, h) => n + h.seats, 0);
  }

  /** How long (whole µs) a request needing `seats` waits from `now` before enough are free; 0 with APF off. */
  admissionDelay(now: number, seats: number): number {
    if (this.seats === 0 || seats === 0) return 0;
    let free = this.seats - this.inUse(now);
    if (free >= Math.min(seats, this.seats)) return 0;
    for (const h of this.held) {
      free += h.seats;
      if (free >= Math.min(seats, this.seats)) {
        const wait = Math.ceil(h.until - now);
        this.waited += wait;
        return Math.max(1, wait);
      }
    }
    return 1;
  }

  /** A write finished at `now` and holds `estimate` for its watch fan-out. */
  hold(now: number, estimate: WorkEstimate): void {
    if (this.seats === 0 || estimate.finalSeats === 0) return;
    const until = now + estimate.additionalLatency;
    let i = this.held.length;
    while (i > 0 && this.held[i - 1].until > until) i--;
    this.held.splice(i, 0, { until, seats: estimate.finalSeats });
  }
}
