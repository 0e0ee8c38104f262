// Watch fan-out as the cacher does it (kubernetes/apiserver pkg/storage/cacher/cacher.go dispatchEvent,
// cache_watcher.go). Every stored change becomes one event, serialized once per encoding and written to
// every watcher whose selector matches, through its API server instance's egress link. Watchers are
// timed by cohorts (consecutive positions in an instance's write order) and charged size × members,
// so a run costs O(writes × cohorts), not O(writes × nodes).
//
// A watcher holds a bounded buffer (suggestedWatchChannelSize, fixed when its watch starts). When an
// event finds it full, dispatch waits for it at most the shared dispatchTimeoutBudget (every later
// event waits too), then closes the watch: what was queued for it is dropped. Its reflector re-watches
// from the last resourceVersion it received as soon as it reads again, and the watch cache replays the
// events it missed; only when that version has left the cache's history (410 Gone) does it re-list.
import type { Simulator } from '../engine/simulator.js';
import { micros } from '../engine/time.js';
import type { WatchEventType } from '../model/protobuf/envelope.js';
import { LABEL_SERVICE_NAME } from '../model/endpointslice.js';
import type { EgressLink } from './egress.js';
import type { StoredObject } from './store.js';
import { TimeBudget } from './time-budget.js';
import { WatchCache, type CachedEvent, type ObjectChange, type WatchState } from './watch-cache.js';
import type { DeliveryBooks, WatchClient, WatchSink } from './watcher.js';

export interface WatchEvent {
  readonly type: WatchEventType;
  readonly object: StoredObject;
  /** Bytes of this event on one watcher's stream (framing included). */
  readonly bytes: number;
  /** When the change that caused this write happened (the trigger-time annotation), µs. */
  readonly triggerTime?: number;
}

export interface WatchOptions {
  /** Re-lists stream the objects as a watch with initial events (WatchList, KEP-3157) rather than a LIST. */
  watchList: boolean;
  /** Compressed size over plain size of re-list bytes (1 = not compressed). */
  relistCompression: number;
  /**
   * SIM: how many events a watcher can hold besides the one being written: the cacher's input channel
   * and the watcher's result channel, chanSize each (cache_watcher.go newCacheWatcher); TCP buffers
   * are not modelled. Scale on suggestedWatchChannelSize.
   */
  buffersPerWatcher: number;
  /** A fixed number of events every watcher can hold instead (apiserver.watchBufferEvents). */
  bufferEvents?: number;
  /** Bytes a watcher's TCP connection holds beyond its channels (socket buffers); 0 = none. */
  socketBufferBytes: number;
  cohortsPerInstance: number;
}

const EVENT = 0;
const REPLAY = 1;
const LIST = 2;

/** What is on its way to a cohort. */
interface Delivery {
  t: number;
  kind: typeof EVENT | typeof REPLAY | typeof LIST;
  /** The phase it was sent in (its bytes are counted there when they arrive). */
  phase: number;
  bytesPerMember: number;
  changes: readonly ObjectChange[];
  state: WatchState;
  /** The resourceVersion (event number) the watcher is at once this arrives. */
  seq: number;
}

interface Cohort {
  members: number;
  /** Position of its first member in the instance's write order (0-based). */
  first: number;
  sink: WatchSink;
  queue: Delivery[];
  head: number;
  /** Live events queued and not yet received, and their bytes per member: what fills the watcher's buffers. */
  live: number;
  liveBytes: number;
  stalledUntil: number;
  /** Events the watcher can hold (fixed when its watch started). */
  buffer: number;
  /** The last event (number) received. */
  seq: number;
  /** Closed and not yet re-watched. */
  closed: boolean;
}

interface Instance {
  link: EgressLink;
  cohorts: Cohort[];
}

interface ClientState {
  client: WatchClient;
  instances: Instance[];
  /** The last event its selector matched. */
  lastSeq: number;
}

/** The run's watch books beyond the summary columns (run.json). */
export interface WatchBooks {
  /** Bytes that left the links towards watchers (watch events, replays, re-lists). */
  sentBytes: number;
  deliveredBytes: number;
  /** Queued for watchers and not yet received when the run stopped. */
  inFlightBytes: number;
  /** Queued for watchers that were closed: never sent (taken back from the links). */
  droppedBytes: number;
  /** Watches closed by the cacher for a full buffer (apiserver_terminated_watchers_total). */
  terminatedWatchers: number;
  /** Re-watches served from the watch cache, and re-lists after 410 Gone or a restart. */
  replays: number;
  relists: number;
  /** Time event dispatch spent waiting for full watchers, µs (every watcher waits with it). */
  dispatchBlockedMicros: number;
}

export class WatchHub {
  readonly cache = new WatchCache();
  private readonly clients: ClientState[] = [];
  private readonly budget = new TimeBudget();
  /** When the cacher can dispatch the next event (a blocked dispatch holds the next ones). */
  private dispatchFreeAt = 0;
  private drainScheduled = 0;
  readonly books: WatchBooks = { sentBytes: 0, deliveredBytes: 0, inFlightBytes: 0, droppedBytes: 0, terminatedWatchers: 0, replays: 0, relists: 0, dispatchBlockedMicros: 0 };

  constructor(
    private readonly sim: Simulator,
    private readonly recorder: DeliveryBooks,
    private readonly links: readonly EgressLink[],
    private readonly options: WatchOptions,
  ) {}

  /** Watches of `client`, spread evenly over the instances (node j on instance j mod instances), listed at time 0. */
  addClient(client: WatchClient): void {
    const n = this.links.length;
    const instances = this.links.map((link, i) => {
      const watchers = Math.floor(client.members / n) + (i < client.members % n ? 1 : 0);
      const count = link.bandwidth === 0 ? Math.min(1, watchers) : Math.min(this.options.cohortsPerInstance, watchers);
      const cohorts: Cohort[] = [];
      let first = 0;
      for (let c = 0; c < count; c++) {
        const size = Math.floor(watchers / count) + (c < watchers % count ? 1 : 0);
        cohorts.push(this.cohort(client.sink(size), size, first));
        first += size;
      }
      return { link, cohorts };
    });
    this.clients.push({ client, instances, lastSeq: this.cache.lastSeq });
  }

  private cohort(sink: WatchSink, members: number, first: number): Cohort {
    return { members, first, sink, queue: [], head: 0, live: 0, liveBytes: 0, stalledUntil: -Infinity, buffer: this.bufferSize(), seq: this.cache.lastSeq, closed: false };
  }

  private bufferSize(): number {
    return this.options.bufferEvents ?? this.cache.suggestedWatchChannelSize() * this.options.buffersPerWatcher;
  }

  /** The run lasts until the links have sent what is queued: an (empty) event at the latest drain time. */
  private drainAt(t: number): void {
    if (t <= this.drainScheduled) return;
    this.drainScheduled = t;
    this.sim.scheduleAt(micros(Math.ceil(t)), () => {});
  }

  /** Hands a cohort everything that has reached it by `t`. */
  private flush(c: Cohort, t: number): void {
    while (c.head < c.queue.length && c.queue[c.head].t <= t) {
      const d = c.queue[c.head++];
      c.sink.receive(d.t, d.changes, d.state, d.kind === LIST);
      c.seq = d.seq;
      const bytes = d.bytesPerMember * c.members;
      this.books.deliveredBytes += bytes;
      if (d.kind === LIST) this.recorder.received(d.phase, 0, 0, 0, bytes);
      else this.recorder.received(d.phase, c.members, bytes, d.kind === REPLAY ? bytes : 0, 0);
      if (d.kind === EVENT) {
        c.live--;
        c.liveBytes -= d.bytesPerMember;
      }
    }
    if (c.head > 256 && c.head * 2 > c.queue.length) {
      c.queue.splice(0, c.head);
      c.head = 0;
    }
  }

  /** Another reader of every event as it is dispatched (the traffic model). */
  observe(observer: (event: WatchEvent) => void): void {
    this.observers.push(observer);
  }

  private readonly observers: ((event: WatchEvent) => void)[] = [];

  /** A stored change: into the watch cache, then to every matching watcher. */
  dispatch(event: WatchEvent, now = this.sim.now): void {
    for (const o of this.observers) o(event);
    const o = event.object;
    const deleted = event.type === 'DELETED';
    const service = `${o.namespace}/${o.kind === 'Endpoints' ? o.name : (o.labels[LABEL_SERVICE_NAME] ?? o.name)}`;
    const phase = this.recorder.phase();
    const cached = this.cache.add(o, now, `${o.namespace}/${o.name}`, service, o.sizes.endpoints, o.sizes.watchObjectBytes, event.bytes, deleted, event.triggerTime, phase);
    const matching = this.clients.filter((s) => s.client.matches(o));
    if (matching.length === 0) return;
    for (const s of matching) s.lastSeq = cached.seq;
    const start = Math.max(now, this.dispatchFreeAt);
    // 1. Non-blocking add to every watcher; those whose buffer is full wait, sharing one time budget.
    const blocked: { c: Cohort; s: ClientState; link: EgressLink }[] = [];
    for (const s of matching) {
      for (const inst of s.instances) {
        for (const c of inst.cohorts) {
          this.flush(c, start);
          if (!c.closed && this.full(c)) blocked.push({ c, s, link: inst.link });
        }
      }
    }
    if (blocked.length > 0) {
      const timeout = this.budget.takeAvailable(start);
      let spent = 0;
      for (const { c, s, link } of blocked) {
        const unblocks = this.nextLiveDelivery(c) - start;
        if (unblocks <= timeout) spent = Math.max(spent, unblocks);
        else {
          spent = timeout;
          this.close(c, s, link, start + timeout);
        }
      }
      this.budget.returnUnused(timeout - spent);
      this.dispatchFreeAt = start + spent;
      this.books.dispatchBlockedMicros += spent;
    }
    // 2. The event is written to every open watcher in turn.
    const changes = cached.changes;
    for (const s of matching) {
      for (const inst of s.instances) {
        let open = 0;
        for (const c of inst.cohorts) if (!c.closed) open += c.members;
        if (open === 0) continue;
        const { start: first, perCopy } = inst.link.send(start as never, event.bytes, open);
        this.books.sentBytes += event.bytes * open;
        let position = 0;
        for (const c of inst.cohorts) {
          if (c.closed) continue;
          const t = Math.max(first + perCopy * (position + (c.members + 1) / 2), c.stalledUntil);
          position += c.members;
          c.queue.push({ t, kind: EVENT, phase, bytesPerMember: event.bytes, changes, state: cached.state, seq: cached.seq });
          c.live++;
          c.liveBytes += event.bytes;
        }
        this.drainAt(inst.link.drainedAt);
      }
    }
  }

  /**
   * Whether the watcher cannot take another event: its channels hold `buffer` events and its socket
   * the bytes of the rest (events of the average queued size).
   */
  private full(c: Cohort): boolean {
    if (c.live < c.buffer) return false;
    return c.liveBytes - (c.buffer * c.liveBytes) / c.live >= this.options.socketBufferBytes;
  }

  /** When the first queued live event reaches the cohort (its buffer then has room again). */
  private nextLiveDelivery(c: Cohort): number {
    for (let k = c.head; k < c.queue.length; k++) if (c.queue[k].kind === EVENT) return c.queue[k].t;
    return -Infinity;
  }

  /**
   * The cacher closes the watch at `t`: what was queued and not yet received is dropped (never sent),
   * and the reflector re-watches when it next reads (at once, or when its stall ends).
   */
  private close(c: Cohort, s: ClientState, link: EgressLink, t: number): void {
    this.dropQueued(c, link, t);
    c.closed = true;
    this.books.terminatedWatchers += c.members;
    this.scheduleRewatch(c, s, link, Math.max(t, c.stalledUntil));
  }

  /** A watch ends at `t`: what its cohort had queued and not yet received is taken back from the link (never sent). */
  private dropQueued(c: Cohort, link: EgressLink, t: number): void {
    this.flush(c, t);
    let dropped = 0;
    for (let k = c.head; k < c.queue.length; k++) dropped += c.queue[k].bytesPerMember * c.members;
    c.queue.length = c.head;
    c.live = 0;
    c.liveBytes = 0;
    link.unsend(t, dropped);
    this.books.sentBytes -= dropped;
    this.books.droppedBytes += dropped;
  }

  private scheduleRewatch(c: Cohort, s: ClientState, link: EgressLink, at: number): void {
    this.sim.scheduleAt(micros(Math.ceil(at)), () => {
      if (c.closed) this.rewatch(c, s, link);
    });
  }

  /** The reflector's new watch from its last resourceVersion: a replay from the cache, or 410 and a re-list. */
  private rewatch(c: Cohort, s: ClientState, link: EgressLink, forceList = false): void {
    const now = this.sim.now;
    this.flush(c, now);
    c.closed = false;
    c.buffer = this.bufferSize();
    const phase = this.recorder.phase();
    const replayed = !forceList && this.cache.replay(c.seq, (e) => {
      if (s.client.matches(e.object)) this.send(c, link, now, REPLAY, phase, e.bytes, e.changes, e);
    });
    if (replayed) {
      this.books.replays += c.members;
      // Caught up with the events its selector does not match too.
      if (c.head === c.queue.length) c.seq = s.lastSeq;
    } else {
      this.books.relists += c.members;
      const { bytes, changes } = this.cache.list(c.seq, (o) => s.client.matches(o));
      // SIM: a LIST (or WatchList's initial events) carries every selected object at its watch-event size.
      this.send(c, link, now, LIST, phase, Math.round(bytes * this.options.relistCompression), changes, { seq: s.lastSeq, state: this.cache.state });
    }
  }

  private send(c: Cohort, link: EgressLink, now: number, kind: Delivery['kind'], phase: number, bytes: number, changes: readonly ObjectChange[], at: Pick<CachedEvent, 'seq' | 'state'>): void {
    const { start, perCopy } = link.send(now as never, bytes, c.members);
    this.books.sentBytes += bytes * c.members;
    c.queue.push({ t: Math.max(start + (perCopy * (c.members + 1)) / 2, c.stalledUntil), kind, phase, bytesPerMember: bytes, changes, state: at.state, seq: at.seq });
    this.drainAt(link.drainedAt);
  }

  /** apiserverRestart: every watch on the instance is closed and re-established with a full re-list. */
  restartInstance(instance: number, now: number): void {
    for (const s of this.clients) {
      const inst = s.instances[instance];
      if (!inst) continue;
      for (const c of inst.cohorts) {
        if (c.closed) continue;
        this.dropQueued(c, inst.link, now);
        // SIM: a watcher already at the newest resourceVersion would re-watch without a LIST; the SPEC's restart re-lists every watcher.
        this.rewatch(c, s, inst.link, true);
      }
    }
  }

  /** watcherStall: the first `nodes` nodes (node j on instance j mod instances) read nothing until `until`. */
  stall(nodes: number, now: number, until: number): void {
    const n = this.links.length;
    for (const s of this.clients) {
      s.instances.forEach((inst, i) => {
        const watchers = inst.cohorts.reduce((k, c) => k + c.members, 0);
        const stalled = Math.min(watchers, Math.floor(nodes / n) + (i < nodes % n ? 1 : 0));
        if (stalled === 0) return;
        this.splitAt(s, inst, stalled, now);
        for (const c of inst.cohorts) {
          if (c.first >= stalled) continue;
          c.stalledUntil = Math.max(c.stalledUntil, until);
          // Events already queued for them wait too.
          for (let k = c.head; k < c.queue.length; k++) c.queue[k].t = Math.max(c.queue[k].t, until);
        }
        this.drainAt(until);
      });
    }
  }

  /** Makes `position` a cohort boundary, splitting the cohort that straddles it. */
  private splitAt(s: ClientState, inst: Instance, position: number, now: number): void {
    const idx = inst.cohorts.findIndex((c) => c.first < position && position < c.first + c.members);
    if (idx < 0) return;
    const c = inst.cohorts[idx];
    this.flush(c, now);
    const a = position - c.first;
    const b = c.members - a;
    const right: Cohort = { ...c, members: b, first: position, sink: c.sink.split(b), queue: c.queue.slice(c.head).map((d) => ({ ...d })), head: 0 };
    // The cohort itself becomes the left part, so that a re-watch already scheduled for it still applies.
    c.sink = c.sink.split(a);
    c.members = a;
    inst.cohorts.splice(idx + 1, 0, right);
    if (c.closed) this.scheduleRewatch(right, s, inst.link, Math.max(now, c.stalledUntil));
  }

  /** Visits every cohort of every client (plain loops: a generator's result objects were most of a sample's garbage). */
  private eachCohort(visit: (c: Cohort) => void): void {
    for (const s of this.clients) for (const i of s.instances) for (const c of i.cohorts) visit(c);
  }

  /** Hands every cohort what has reached it by `t`. */
  flushAll(t: number): void {
    this.eachCohort((c) => this.flush(c, t));
  }

  /** Bytes queued for nodes and not yet received. */
  inFlightBytes(): number {
    let n = 0;
    this.eachCohort((c) => {
      for (let k = c.head; k < c.queue.length; k++) n += c.queue[k].bytesPerMember * c.members;
    });
    return n;
  }

  /** Events not yet received by every node (the longest queue), at `t`. */
  eventsInFlight(t: number): number {
    this.flushAll(t);
    let n = 0;
    this.eachCohort((c) => (n = Math.max(n, c.queue.length - c.head)));
    return n;
  }

  /** Nodes that hold every change stored so far and have applied it, at `t`. */
  nodesUpToDate(t: number): number {
    this.flushAll(t);
    let n = 0;
    for (const s of this.clients) for (const i of s.instances) for (const c of i.cohorts) if (!c.closed && c.head === c.queue.length && c.seq >= s.lastSeq && c.sink.upToDate(t)) n += c.members;
    return n;
  }

  /** When the last node finished applying what it received (after finish). */
  settledAt(): number {
    let t = 0;
    this.eachCohort((c) => (t = Math.max(t, c.sink.settledAt())));
    return t;
  }

  /** The end of the run at `end`: what arrived by then is counted; what is still queued stays in the books as in flight. */
  finish(end: number): void {
    this.flushAll(end);
    this.books.inFlightBytes = this.inFlightBytes();
    this.eachCohort((c) => c.sink.finish(end));
  }
}
