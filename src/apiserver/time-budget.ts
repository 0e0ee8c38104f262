// The cacher's dispatchTimeoutBudget (kubernetes/apiserver pkg/storage/cacher/time_budget.go): how long
// dispatching one event may wait for watchers whose buffers are full. One budget for all watchers of a
// resource: it refills at 50 ms per second up to 100 ms, a dispatch takes all of it and gives back what
// it did not spend.

/** refreshPerSecond: budget gained per second of wall time. */
export const BUDGET_REFRESH_PER_SECOND = 0.05;
/** maxBudget, µs. */
export const MAX_BUDGET = 100_000;

export class TimeBudget {
  private budget = 0;
  private last = 0;

  /** takeAvailable: everything accumulated by `now` (µs), leaving nothing. */
  takeAvailable(now: number): number {
    this.budget = Math.min(MAX_BUDGET, this.budget + Math.max(0, now - this.last) * BUDGET_REFRESH_PER_SECOND);
    this.last = now;
    const taken = this.budget;
    this.budget = 0;
    return taken;
  }

  /** returnUnused: gives back what a dispatch did not spend (nothing if it overspent). */
  returnUnused(unused: number): void {
    if (unused > 0) this.budget = Math.min(MAX_BUDGET, this.budget + unused);
  }
}
