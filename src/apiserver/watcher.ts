// How the API server's watch path sees its watchers, whatever they are: a client (kube-proxy on every
// node, or any other agent) is a number of identical watches with a selector, and each cohort of them
// hands what it receives to a sink. The watch cache decides (replay, 410, re-list); the sink only
// applies what reaches it. This keeps apiserver/ free of any agent's code.
import type { StoredObject } from './store.js';
import type { ObjectChange, WatchState } from './watch-cache.js';

export type { ObjectChange, WatchState } from './watch-cache.js';

/** The receiving end of a cohort of watches: nodes that get the same bytes at the same time. */
export interface WatchSink {
  /**
   * Changes reach these nodes at `t` (never earlier than the previous ones): one watch event, a replay
   * of one missed event, or a re-list (`relist`) bringing the latest version of every object changed
   * since the watcher's last resourceVersion. `state` is what all watched objects add up to afterwards.
   */
  receive(t: number, changes: readonly ObjectChange[], state: WatchState, relist: boolean): void;
  /** The same state for `members` of these nodes (when a fault singles out some of them). */
  split(members: number): WatchSink;
  /** Whether these nodes have applied everything that reached them, at `t`. */
  upToDate(t: number): boolean;
  /** The end of the run: runs what is still due. */
  finish(end: number): void;
  /** When the last sync that applied something ended. */
  settledAt(): number;
}

/** A kind of watcher present on many nodes. */
export interface WatchClient {
  /** How many watches (one per node). */
  readonly members: number;
  /** The watch's kind and selector, as the cacher filters (server side). */
  matches(object: StoredObject): boolean;
  /** A new sink for a cohort of `members` watches. */
  sink(members: number): WatchSink;
}

/** Where the watch path records what reached the watchers (counted when it arrives, never taken back). */
export interface DeliveryBooks {
  /** Arrived at the nodes: watch events (live and replayed), their bytes, the replayed part, and re-list bytes; attributed to `phase`, the phase the bytes were sent in. */
  received(phase: number, events: number, watchBytes: number, replayBytes: number, listBytes: number): void;
  /** The current phase. */
  phase(): number;
}
