// kube-proxy on every node, as the API server's watch streams reach it. Each instance writes every
// event to each of its watchers in turn through its egress link; a watcher further behind than the
// watch buffer (watchBufferEvents) is cut off: its queued events are dropped and it re-lists (a full
// LIST of the objects it watches, counted as relist_bytes), and so does every watcher of an API
// server that restarts. A stalled watcher reads nothing until its stall ends.
//
// Nodes are not simulated one by one. The watchers of an instance are split into cohorts of
// consecutive positions in its write order; a cohort receives each event when its middle member does
// and stands for all its members (with unlimited bandwidth every node is alike: one cohort). A fault
// that singles out some nodes splits their cohort first.
import type { WatchEvent } from '../apiserver/watch.js';
import type { EgressLink } from '../apiserver/egress.js';
import type { EndpointKind, StoredObject } from '../apiserver/store.js';
import { LABEL_HEADLESS } from '../model/cluster.js';
import type { LatencyRecorder } from '../report/latency.js';
import { ProxySync, type Change, type ProxyConfig } from './proxy-sync.js';

export type { ProxyConfig, ProxyMode } from './proxy-sync.js';

/** What is on its way to a cohort: an event, or a re-list standing for the events it replaced. */
interface Delivery {
  t: number;
  /** A re-list rather than a watch event. */
  list: boolean;
  /** The phase it was sent in (its bytes are counted there). */
  phase: number;
  bytesPerMember: number;
  changes: Change[];
  totalEndpoints: number;
}

interface Cohort {
  members: number;
  /** Position of its first member in the instance's write order (0-based). */
  first: number;
  sync: ProxySync;
  queue: Delivery[];
  head: number;
  stalledUntil: number;
}

const middle = (c: Cohort) => c.first + (c.members + 1) / 2;

export interface FleetHooks {
  /** The links will have sent everything queued at this time: the run lasts until then. */
  drainAt(time: number): void;
  /** A re-list of this many bytes (all members together). */
  relisted(bytes: number): void;
  /** Queued copies dropped when their watchers were cut off: never delivered (counted back in the phase they were sent in). */
  dropped(phase: number, events: number, watchBytes: number, listBytes: number): void;
  /** The current phase. */
  phase(): number;
}

export class KubeProxyFleet {
  private readonly instances: { link: EgressLink; watchers: number; cohorts: Cohort[] }[];
  /** Endpoints and watch bytes of the stored objects kube-proxy watches, by object key. */
  private readonly stored = new Map<string, { endpoints: number; bytes: number }>();
  private totalEndpoints = 0;
  private listBytes = 0;
  /** Books: bytes that reached nodes, and bytes dropped from the queues of cut-off watchers. */
  deliveredBytes = 0;
  droppedBytes = 0;
  relists = 0;

  constructor(
    readonly members: number,
    private readonly kind: EndpointKind,
    links: readonly EgressLink[],
    config: ProxyConfig,
    latency: LatencyRecorder,
    private readonly bufferEvents: number,
    private readonly hooks: FleetHooks,
    cohortsPerInstance = 64,
  ) {
    // Watchers spread evenly over the instances (node j on instance j mod instances).
    this.instances = links.map((link, i) => {
      const watchers = Math.floor(members / links.length) + (i < members % links.length ? 1 : 0);
      const count = link.bandwidth === 0 ? Math.min(1, watchers) : Math.min(cohortsPerInstance, watchers);
      const cohorts: Cohort[] = [];
      let first = 0;
      for (let c = 0; c < count; c++) {
        const size = Math.floor(watchers / count) + (c < watchers % count ? 1 : 0);
        cohorts.push({ members: size, first, sync: new ProxySync(config, size, latency), queue: [], head: 0, stalledUntil: -Infinity });
        first += size;
      }
      return { link, watchers, cohorts };
    });
  }

  matches(object: StoredObject): boolean {
    return object.kind === this.kind && !(LABEL_HEADLESS in object.labels);
  }

  /** Hands a cohort everything that has reached it by `t`. */
  private flush(c: Cohort, t: number): void {
    while (c.head < c.queue.length && c.queue[c.head].t <= t) {
      const d = c.queue[c.head++];
      c.sync.receive(d.t, d.changes, d.totalEndpoints);
      this.deliveredBytes += d.bytesPerMember * c.members;
    }
    if (c.head > 256 && c.head * 2 > c.queue.length) {
      c.queue.splice(0, c.head);
      c.head = 0;
    }
  }

  /** Writes the event to every watcher's stream; cuts off watchers whose buffer overflows. */
  deliver(event: WatchEvent, now: number, phase: number): void {
    const key = `${event.object.namespace}/${event.object.name}`;
    const old = this.stored.get(key);
    const endpoints = event.type === 'DELETED' ? 0 : event.object.sizes.endpoints;
    this.totalEndpoints += endpoints - (old?.endpoints ?? 0);
    this.listBytes += (event.type === 'DELETED' ? 0 : event.object.sizes.watchObjectBytes) - (old?.bytes ?? 0);
    if (event.type === 'DELETED') this.stored.delete(key);
    else this.stored.set(key, { endpoints, bytes: event.object.sizes.watchObjectBytes });
    const change: Change = { trigger: event.triggerTime, phase, endpoints: event.object.sizes.endpoints };
    for (const inst of this.instances) {
      if (inst.watchers === 0) continue;
      const { start, perCopy } = inst.link.send(now as never, event.bytes, inst.watchers);
      for (const c of inst.cohorts) {
        this.flush(c, now);
        const t = Math.max(start + perCopy * middle(c), c.stalledUntil);
        c.queue.push({ t, list: false, phase, bytesPerMember: event.bytes, changes: [change], totalEndpoints: this.totalEndpoints });
        if (c.queue.length - c.head > this.bufferEvents) this.relist(inst.link, c, now);
      }
      this.hooks.drainAt(inst.link.drainedAt);
    }
  }

  /**
   * The watch is closed: what was queued for these nodes is dropped, and they re-list as soon as they
   * read again; the re-list brings them every change they missed.
   */
  private relist(link: EgressLink, c: Cohort, now: number): void {
    this.flush(c, now);
    const missed: Change[] = [];
    let dropped = 0;
    for (let i = c.head; i < c.queue.length; i++) {
      const d = c.queue[i];
      missed.push(...d.changes);
      const bytes = d.bytesPerMember * c.members;
      dropped += bytes;
      if (d.list) this.hooks.dropped(d.phase, 0, 0, bytes);
      else this.hooks.dropped(d.phase, c.members, bytes, 0);
    }
    c.queue.length = c.head;
    link.unsend(now, dropped);
    this.droppedBytes += dropped;
    // SIM: the LIST carries every watched object at its watch-event size (items lose their envelope, the list gains one).
    const listed = Math.max(now, c.stalledUntil);
    const { start, perCopy } = link.send(listed as never, this.listBytes, c.members);
    c.queue.push({ t: start + perCopy * (c.members + 1) / 2, list: true, phase: this.hooks.phase(), bytesPerMember: this.listBytes, changes: missed, totalEndpoints: this.totalEndpoints });
    this.relists += c.members;
    this.hooks.relisted(this.listBytes * c.members);
    this.hooks.drainAt(Math.max(link.drainedAt, listed));
  }

  /** apiserverRestart: every watch on the instance is re-established with a full re-list. */
  restartInstance(instance: number, now: number): void {
    const inst = this.instances[instance];
    if (!inst) return;
    for (const c of inst.cohorts) this.relist(inst.link, c, now);
  }

  /** watcherStall: the first `nodes` nodes (node j on instance j mod instances) read nothing until `until`. */
  stall(nodes: number, now: number, until: number): void {
    const n = this.instances.length;
    this.instances.forEach((inst, i) => {
      const stalled = Math.min(inst.watchers, Math.floor(nodes / n) + (i < nodes % n ? 1 : 0));
      if (stalled === 0) return;
      this.splitAt(inst, stalled, now);
      for (const c of inst.cohorts) if (c.first < stalled) c.stalledUntil = Math.max(c.stalledUntil, until);
      // Events already queued for them wait too.
      for (const c of inst.cohorts) if (c.first < stalled) for (let k = c.head; k < c.queue.length; k++) c.queue[k].t = Math.max(c.queue[k].t, until);
      this.hooks.drainAt(until);
    });
  }

  /** Makes `position` a cohort boundary, splitting the cohort that straddles it. */
  private splitAt(inst: { cohorts: Cohort[] }, position: number, now: number): void {
    const idx = inst.cohorts.findIndex((c) => c.first < position && position < c.first + c.members);
    if (idx < 0) return;
    const c = inst.cohorts[idx];
    this.flush(c, now);
    const a = position - c.first;
    const b = c.members - a;
    const copyQueue = () => c.queue.slice(c.head).map((d) => ({ ...d }));
    const left: Cohort = { ...c, members: a, sync: c.sync.clone(a), queue: copyQueue(), head: 0 };
    const right: Cohort = { ...c, members: b, first: position, sync: c.sync.clone(b), queue: copyQueue(), head: 0 };
    inst.cohorts.splice(idx, 1, left, right);
  }

  private *cohorts(): IterableIterator<Cohort> {
    for (const i of this.instances) yield* i.cohorts;
  }

  /** Hands every cohort what has reached it by `t`. */
  flushAll(t: number): void {
    for (const c of this.cohorts()) this.flush(c, t);
  }

  /** Bytes queued for nodes and not yet received. */
  inFlightBytes(): number {
    let n = 0;
    for (const c of this.cohorts()) for (let k = c.head; k < c.queue.length; k++) n += c.queue[k].bytesPerMember * c.members;
    return n;
  }

  /** Events not yet received by every node (the longest queue), at `t`. */
  eventsInFlight(t: number): number {
    this.flushAll(t);
    let n = 0;
    for (const c of this.cohorts()) n = Math.max(n, c.queue.length - c.head);
    return n;
  }

  /** Nodes whose rules reflect every event sent so far, at `t`. */
  nodesUpToDate(t: number): number {
    this.flushAll(t);
    let n = 0;
    for (const c of this.cohorts()) if (c.head === c.queue.length && c.sync.upToDate(t)) n += c.members;
    return n;
  }

  finish(end: number): void {
    this.flushAll(Infinity);
    for (const c of this.cohorts()) c.sync.finish(end);
  }
}
