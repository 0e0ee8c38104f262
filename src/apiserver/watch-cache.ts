// The API server's watch cache for the endpoint objects node agents watch (kubernetes/apiserver
// pkg/storage/cacher/watch_cache.go and watch_cache_history.go): the current objects (what a LIST
// returns) and a history of recent events that a watcher re-watching from its last resourceVersion
// is replayed from. The history is a ring whose capacity starts at 100, doubles while every event in it
// is younger than the fresh window (75 s) and halves when its newest quarter is older, up to 100 × 1024;
// a resourceVersion older than the ring's oldest event is "too old" (410 Gone) and forces a re-list.
//
import type { StoredObject } from './store.js';

// SIM: one cache stands for every API server instance's (they see the same etcd events); events are
// numbered 0, 1, 2 … in place of etcd revisions (only the order matters for replay).

/** DefaultEventFreshDuration (cacher.go): the bookmark frequency (1 min) plus 15 s, µs. */
export const EVENT_FRESH_DURATION = 75_000_000;
/** defaultLowerBoundCapacity and defaultUpperBoundCapacity (watch_cache_history.go). */
export const LOWER_BOUND_CAPACITY = 100;
export const UPPER_BOUND_CAPACITY = 100 * 1024;
/** minWatchChanSize and maxWatchChanSizeWithoutIndex (watch_cache_history.go). */
const MIN_WATCH_CHAN_SIZE = 10;
const MAX_WATCH_CHAN_SIZE_WITHOUT_INDEX = 100;

/** One object change as the node agents see it (shared by every watcher; never mutated). */
export interface ObjectChange {
  /** The last-change-trigger-time annotation, µs; undefined when the write carries none. */
  readonly trigger: number | undefined;
  /** The phase the write happened in. */
  readonly phase: number;
  /** namespace/name of the object, and namespace/name of its Service. */
  readonly key: string;
  readonly service: string;
  /** Endpoints in the object after the change (0 for a deletion), and in its whole Service. */
  readonly endpoints: number;
  readonly serviceEndpoints: number;
  readonly deleted: boolean;
}

/** What the watched objects add up to after an event: what a sync of all rules has to write. */
export interface WatchState {
  readonly endpoints: number;
  readonly services: number;
}

/** An event kept in the history: its bytes on a watch stream and what it changes. */
export interface CachedEvent {
  readonly seq: number;
  /** The stored object (for the watchers' selectors). */
  readonly object: StoredObject;
  readonly time: number;
  readonly bytes: number;
  readonly change: ObjectChange;
  /** [change], made once: what a delivery of this event carries (every cohort shares it). */
  readonly changes: readonly ObjectChange[];
  readonly state: WatchState;
}

interface StoredEntry {
  endpoints: number;
  /** The object's size as a watch event (what a LIST or the initial events of a WatchList carry). */
  bytes: number;
  service: string;
  /** The latest change to it (a re-list brings only the latest version of each object). */
  last: CachedEvent;
}

export class WatchCache {
  private capacity = LOWER_BOUND_CAPACITY;
  private ring: CachedEvent[] = new Array(LOWER_BOUND_CAPACITY);
  /** History holds events [start, end). */
  private start = 0;
  private end = 0;
  private readonly objects = new Map<string, StoredEntry>();
  /** Objects deleted, with their deletion event: a re-list tells a watcher they are gone. */
  private readonly deleted = new Map<string, CachedEvent>();
  private readonly serviceEndpoints = new Map<string, { endpoints: number; objects: number }>();
  private endpoints = 0;

  constructor(private readonly freshDuration = EVENT_FRESH_DURATION) {}

  /** The sequence number of the latest event (-1 before any). */
  get lastSeq(): number {
    return this.end - 1;
  }

  get state(): WatchState {
    return { endpoints: this.endpoints, services: this.serviceEndpoints.size };
  }

  /** Records a stored change (updateCache) and returns the cached event. */
  add(object: StoredObject, time: number, key: string, service: string, endpoints: number, watchObjectBytes: number, eventBytes: number, deleted: boolean, trigger: number | undefined, phase: number): CachedEvent {
    const old = this.objects.get(key);
    const svc = this.serviceEndpoints.get(service) ?? { endpoints: 0, objects: 0 };
    const now = deleted ? 0 : endpoints;
    svc.endpoints += now - (old?.endpoints ?? 0);
    svc.objects += (deleted ? 0 : 1) - (old ? 1 : 0);
    if (svc.objects > 0) this.serviceEndpoints.set(service, svc);
    else this.serviceEndpoints.delete(service);
    this.endpoints += now - (old?.endpoints ?? 0);
    const change: ObjectChange = { trigger, phase, key, service, endpoints: now, serviceEndpoints: svc.endpoints, deleted };
    const event: CachedEvent = { seq: this.end, object, time, bytes: eventBytes, change, changes: [change], state: this.state };
    if (deleted) {
      this.objects.delete(key);
      this.deleted.set(key, event);
    } else {
      this.objects.set(key, { endpoints: now, bytes: watchObjectBytes, service, last: event });
      this.deleted.delete(key);
    }
    this.resize(time);
    if (this.end - this.start === this.capacity) this.start++;
    this.ring[this.end % this.capacity] = event;
    this.end++;
    return event;
  }

  /** resizeCacheLocked: grow while the whole ring is fresh, shrink when its newest quarter is stale. */
  private resize(time: number): void {
    if (this.end - this.start !== this.capacity) return;
    let capacity = this.capacity;
    if (time - this.ring[this.start % this.capacity].time < this.freshDuration) capacity = Math.min(this.capacity * 2, UPPER_BOUND_CAPACITY);
    else if (time - this.ring[(this.end - this.capacity / 4) % this.capacity].time > this.freshDuration) capacity = Math.max(this.capacity / 2, LOWER_BOUND_CAPACITY);
    if (capacity === this.capacity) return;
    if (capacity < this.capacity) this.start = this.end - capacity;
    const ring: CachedEvent[] = new Array(capacity);
    for (let i = this.start; i < this.end; i++) ring[i % capacity] = this.ring[i % this.capacity];
    this.ring = ring;
    this.capacity = capacity;
  }

  /**
   * suggestedWatchChannelSize for a watch without an index (kube-proxy's label-selected watch): about
   * one second of history, ceil(capacity / 75 s), clamped to 10..100. Fixed when the watch starts.
   */
  suggestedWatchChannelSize(): number {
    const size = Math.ceil(this.capacity / (this.freshDuration / 1e6));
    return Math.min(Math.max(size, MIN_WATCH_CHAN_SIZE), MAX_WATCH_CHAN_SIZE_WITHOUT_INDEX);
  }

  /**
   * GetIntervalLocked: the events after `seq` for a watch resuming from it, or undefined when `seq`
   * is older than the history (410 Gone: the watcher must re-list).
   */
  since(seq: number): CachedEvent[] | undefined {
    const events: CachedEvent[] = [];
    return this.replay(seq, (e) => events.push(e)) ? events : undefined;
  }

  /**
   * `since` without the array (a re-watch after a long stall can miss most of the history, and such an
   * array outlives the young generation): visits the events after `seq` in order; false (visiting
   * none) when `seq` is older than the history.
   */
  replay(seq: number, visit: (event: CachedEvent) => void): boolean {
    if (seq + 1 < this.start) return false;
    for (let i = seq + 1; i < this.end; i++) visit(this.ring[i % this.capacity]);
    return true;
  }

  /**
   * A re-list for a watcher that last saw `seq` and selects `matches`: the bytes of every object it
   * selects, and the latest change of each selected object changed since (deletions included).
   */
  list(seq: number, matches: (o: StoredObject) => boolean): { bytes: number; changes: ObjectChange[] } {
    const changes: ObjectChange[] = [];
    let bytes = 0;
    for (const o of this.objects.values()) {
      if (!matches(o.last.object)) continue;
      bytes += o.bytes;
      if (o.last.seq > seq) changes.push(o.last.change);
    }
    for (const e of this.deleted.values()) if (e.seq > seq && matches(e.object)) changes.push(e.change);
    return { bytes, changes };
  }

  /** How far back the history reaches (µs before the newest event); for tests and notes. */
  get historyCapacity(): number {
    return this.capacity;
  }
}
