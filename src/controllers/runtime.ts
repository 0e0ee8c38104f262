// What the Endpoints and EndpointSlice controllers share, as kube-controller-manager wires them:
// pod and service events enqueue the service (pod events after the batch period), a work queue with
// one sync per service at a time, writes sent one by one through the client's token bucket, and a
// failed sync retried with per-item exponential backoff (at most 15 times, then dropped).
import type { Simulator } from '../engine/simulator.js';
import { micros, type Micros } from '../engine/time.js';
import type { Pod, Service, Node } from '../model/cluster.js';
import type { ApiServer, WriteResult } from '../apiserver/store.js';
import { ItemBackoff, TokenBucket } from '../client/rate-limiter.js';
import { WorkQueue } from '../client/work-queue.js';
import type { PodStore } from '../workload/pod-store.js';
import { TriggerTimeTracker } from './trigger-time.js';

const MAX_RETRIES = 15;
const WORKERS = 5; // --concurrent-service-endpoint-syncs / --concurrent-endpoint-syncs default

export interface ControllerContext {
  sim: Simulator;
  api: ApiServer;
  pods: PodStore;
  services: readonly Service[];
  nodes: ReadonlyMap<string, Node>;
  client: TokenBucket;
  /** Time one sync takes before its writes: base + perEndpoint × the service's pods. */
  syncCost: { base: Micros; perEndpoint: Micros };
  /** How long after a write the controller's informer shows it (0: at once). */
  informerDelay?: Micros;
}

/** One API request of a sync; `apply` sends it, `onSuccess` updates the controller's cache. */
export interface PlannedWrite {
  apply(): WriteResult<unknown>;
}

/**
 * Whether a pod update enqueues its service (util/controller_utils.go podEndpointsChanged, with the
 * labels/hostname part of GetPodUpdateProjectionKey): deletionTimestamp, readiness, podIPs, hostname
 * or subdomain. A change of phase alone (or of nodeName) enqueues nothing.
 * SIM: pods never change labels here, so the label part of the rule is not modelled.
 */
export function podEndpointsChanged(pod: Pod, old: Readonly<Pod>): boolean {
  return (
    pod.ready !== old.ready ||
    pod.deletionTimestamp !== old.deletionTimestamp ||
    pod.hostname !== old.hostname ||
    pod.subdomain !== old.subdomain ||
    pod.podIPs.length !== old.podIPs.length ||
    pod.podIPs.some((ip, i) => ip !== old.podIPs[i])
  );
}

export abstract class ServiceController {
  protected readonly queue: WorkQueue;
  private readonly backoff: ItemBackoff;
  /** Per service: pod keys changed since the last sync began, with the time of the first change. */
  protected readonly dirty: Map<string, Micros>[];
  private readonly triggerTimes = new TriggerTimeTracker();
  /** Per service: this controller's writes its informer does not show yet. */
  private readonly invisibleWrites: number[];
  /** Syncs under way that carry changes (their writes not all sent yet). */
  private syncing = 0;
  /** Per service: the last sync failed (a write refused), so what it wanted is not stored yet. */
  private readonly failed: boolean[];

  /**
   * @param retryReexamines whether a failed sync's keys are handed to the retry again (the controller
   * re-plans from its cache of stored objects), or only the keys changed since (the controller keeps
   * its own desired state across attempts). Either way the trigger time is the tracker's: a retry
   * carries one only if pods changed readiness since the failed attempt, as upstream's does.
   */
  constructor(
    protected readonly ctx: ControllerContext,
    private readonly batchPeriod: Micros,
    backoffBase: Micros,
    private readonly retryReexamines = true,
  ) {
    this.backoff = new ItemBackoff(backoffBase, micros(1000e6));
    this.dirty = ctx.services.map(() => new Map());
    this.invisibleWrites = ctx.services.map(() => 0);
    this.failed = ctx.services.map(() => false);
    this.queue = new WorkQueue(ctx.sim, WORKERS, (key, done) => this.sync(Number(key), done));
    ctx.pods.subscribe((pod, old, deleted) => {
      if (old && !deleted && !podEndpointsChanged(pod, old)) return;
      this.markDirty(pod.service, pod.key);
      this.queue.addAfter(String(pod.service), this.batchPeriod);
    });
  }

  /** The service appeared (time 0): every pod it selects is a change; Service events skip the batch period. */
  addService(service: number): void {
    for (const pod of this.ctx.pods.podsOf(service)) this.markDirty(service, pod.key);
    this.queue.add(String(service));
  }

  private markDirty(service: number, key: string): void {
    const d = this.dirty[service];
    if (!d.has(key)) d.set(key, this.ctx.sim.now);
  }

  /**
   * Whether every change the controller wants written for kube-proxy's Services has been stored: no pod
   * change of a non-headless Service waits in the queue, in a sync, or for a retry after a refused write.
   */
  get upToDate(): boolean {
    if (this.syncing > 0) return false;
    return this.dirty.every((d, i) => (d.size === 0 && !this.failed[i]) || this.ctx.services[i].headless);
  }

  /** The writes one sync makes for these changed keys (reconcile), in the order they are sent. */
  protected abstract plan(service: number, changed: readonly string[], triggerTime: Micros | undefined): PlannedWrite[];

  private sync(service: number, done: () => void): void {
    // The sync works from the changes seen when it starts; later ones wait for the next sync.
    const changed = this.dirty[service];
    this.dirty[service] = new Map();
    if (changed.size > 0) this.syncing++;
    const { base, perEndpoint } = this.ctx.syncCost;
    const cost = micros(base + perEndpoint * this.ctx.pods.count(service));
    if (cost > 0) this.ctx.sim.schedule(cost, () => this.reconcile(service, changed, done));
    else this.reconcile(service, changed, done);
  }

  private reconcile(service: number, changed: Map<string, Micros>, done: () => void): void {
    // Counted as under way by sync() when it carried changes (before any merge below).
    const counted = changed.size > 0;
    // Computed on every sync, written or not, so the tracker sees each Ready transition once.
    const pods = this.ctx.pods;
    const triggerTime = this.triggerTimes.compute(String(service), this.ctx.services[service].creationTime, changed.keys(), (k) => pods.get(service, k));
    const key = String(service);
    if (this.invisibleWrites[service] > 0) {
      // The informer is behind this controller's own last write (stale cache): the sync fails before
      // reconciling and is retried through the rate limiter, with its changes kept.
      for (const [k, t] of this.dirty[service]) if (!changed.has(k)) changed.set(k, t);
      this.dirty[service] = changed;
      if (counted) this.syncing--;
      this.retryLater(key);
      return done();
    }
    const writes = this.plan(service, [...changed.keys()], triggerTime);
    const finish = (ok: boolean) => {
      if (counted) this.syncing--;
      this.failed[service] = !ok;
      if (ok) this.backoff.forget(key);
      else {
        // Keep the changes for the retry, with newer ones that arrived meanwhile (usually far fewer).
        if (this.retryReexamines) {
          for (const [k, t] of this.dirty[service]) if (!changed.has(k)) changed.set(k, t);
          this.dirty[service] = changed;
        }
        this.retryLater(key);
      }
      done();
    };
    // A loop, not recursion: with a large burst thousands of writes go out in one instant.
    let i = 0;
    const sendWhileTokens = () => {
      for (;;) {
        if (i === writes.length) return finish(true);
        const wait = this.ctx.client.reserve();
        if (wait > 0) return this.ctx.sim.schedule(wait, sendReserved);
        // API Priority and Fairness: the write waits for seats still held by earlier writes' watch fan-out.
        const apf = this.ctx.api.admissionDelay();
        if (apf > 0) return this.ctx.sim.schedule(micros(apf), sendReserved);
        if (!writes[i++].apply().ok) return finish(false);
      }
    };
    const sendReserved = () => {
      const apf = this.ctx.api.admissionDelay();
      if (apf > 0) return this.ctx.sim.schedule(micros(apf), sendReserved);
      if (!writes[i++].apply().ok) return finish(false);
      sendWhileTokens();
    };
    sendWhileTokens();
  }

  /** handleErr: AddRateLimited (per-item exponential backoff) up to MAX_RETRIES, then the key is dropped. */
  private retryLater(key: string): void {
    if (this.backoff.retries(key) < MAX_RETRIES) this.queue.addAfter(key, this.backoff.when(key));
    else this.backoff.forget(key);
  }

  /** Runs `show` (the informer's view of a successful write) after the informer delay. */
  protected whenVisible(service: number, show: () => void): void {
    const delay = this.ctx.informerDelay ?? 0;
    if (delay <= 0) return show();
    this.invisibleWrites[service]++;
    this.ctx.sim.schedule(micros(delay), () => {
      this.invisibleWrites[service]--;
      show();
    });
  }
}
