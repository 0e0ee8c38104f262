// A Deployment and its ReplicaSets, as the Deployment and ReplicaSet controllers drive them. Each
// sync follows the Deployment controller's rolling update: scale the new ReplicaSet up while the
// total stays within replicas + maxSurge, then scale old ones down while at least
// replicas - maxUnavailable pods stay available (unhealthy old pods first). Each ReplicaSet then
// creates or deletes pods to match its count (not-ready pods first, then the newest).
import type { Simulator } from '../engine/simulator.js';
import { micros, type Micros } from '../engine/time.js';
import { BinaryHeap } from '../engine/heap.js';
import type { Pod } from '../model/cluster.js';
import type { PodLifecycle } from './lifecycle.js';
import type { PodStore } from './pod-store.js';

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** metav1.Time keeps whole seconds: times compare at that grain. */
const seconds = (t: Micros | undefined) => (t === undefined ? undefined : Math.floor(t / 1e6));

/** logarithmicRankDiff: the difference of floor(log2(age in ns)) of two times (-1 for no age). */
function logarithmicRankDiff(t1: number, t2: number, nowSeconds: number): number {
  const rank = (t: number) => {
    const d = (nowSeconds - t) * 1e9;
    return d > 0 ? Math.floor(Math.log2(d)) : -1;
  };
  return rank(t1) - rank(t2);
}

/**
 * ActivePodsWithRanks.Less (pkg/controller/controller_utils.go), with LogarithmicScaleDown (on by
 * default since 1.22): a < b means a is deleted first. Unassigned before assigned; Pending before
 * Unknown before Running; not ready before ready; (pod-deletion-cost: unset here); more active pods of
 * the Deployment on the same node first; the more recently ready first, by log2 buckets of age with the
 * UID breaking ties within a bucket; (restart counts: none here); the more recently created first, the
 * same way. SIM: where upstream finds two pods equal its (unstable) sort decides; here the newer pod goes first.
 */
export function lessActivePod(a: PodOrderKey, b: PodOrderKey, rankA: number, rankB: number, now: Micros): boolean | undefined {
  if (a.nodeName !== b.nodeName && (a.nodeName === '' || b.nodeName === '')) return a.nodeName === '';
  const pa = PHASE_ORDINAL[a.phase] ?? 0;
  const pb = PHASE_ORDINAL[b.phase] ?? 0;
  if (pa !== pb) return pa < pb;
  if (a.ready !== b.ready) return !a.ready;
  if (rankA !== rankB) return rankA > rankB;
  const nowS = Math.floor(now / 1e6);
  const byTime = (t1: number | undefined, t2: number | undefined): boolean | undefined => {
    if (t1 === t2) return undefined;
    if (t1 === undefined || t2 === undefined) return t1 === undefined; // afterOrZero: zero counts as after
    const diff = logarithmicRankDiff(t1, t2, nowS);
    return diff === 0 ? a.uid < b.uid : diff < 0;
  };
  if (a.ready && b.ready) {
    const r = byTime(seconds(a.readyTransitionTime), seconds(b.readyTransitionTime));
    if (r !== undefined) return r;
  }
  return byTime(seconds(a.creationTime), seconds(b.creationTime));
}

/** The fields of a pod ActivePodsWithRanks orders by (a Pod, or a snapshot of one). */
export type PodOrderKey = Pick<Pod, 'nodeName' | 'phase' | 'ready' | 'readyTransitionTime' | 'creationTime' | 'uid' | 'seq'>;

/** A ReplicaSet: its count and the pods it owns that are not terminating, with their readiness kept counted. */
export class ReplicaSet {
  readonly pods = new Set<Pod>();
  /** status.availableReplicas (minReadySeconds 0: Ready pods). */
  available = 0;
  /** Owned pods that are not ready (the first to go), and owned pods per node. */
  private readonly notReady = new Set<Pod>();
  private readonly byNode = new Map<string, Set<Pod>>();
  /**
   * Ready pods in ActivePodsWithRanks order, kept between scale-downs: per node its ready pods sorted
   * (they share the node's rank), and a heap of each node's first pod not yet taken (a k-way merge).
   * A node whose rank or pods changed is touched: it is sorted again and gets a new head under a new
   * version (old heads are dropped when they surface). The whole order is rebuilt every REORDER_AFTER,
   * when age buckets move.
   */
  private ordered: BinaryHeap<NodeHead> | undefined;
  private readonly nodeOrder = new Map<string, NodeOrder>();
  private readonly touched = new Set<string>();
  private orderedAt = micros(0);
  private versions = 0;

  constructor(
    public replicas: number,
    /** Active pods of the whole Deployment per node (shared by its ReplicaSets): the rank of getPodsRankedByRelatedPodsOnSameNode. */
    private readonly podsOnNode: Map<string, number>,
    /** Tells every ReplicaSet of the Deployment that a node's count changed. */
    private readonly nodeCountChanged: (node: string) => void,
  ) {}

  /** A node's rank or one of this set's pods on it changed. */
  touch(node: string): void {
    if (this.ordered) this.touched.add(node);
  }

  add(pod: Pod): void {
    this.pods.add(pod);
    if (pod.ready) this.available++;
    else this.notReady.add(pod);
    this.podsOnNode.set(pod.nodeName, (this.podsOnNode.get(pod.nodeName) ?? 0) + 1);
    let onNode = this.byNode.get(pod.nodeName);
    if (!onNode) this.byNode.set(pod.nodeName, (onNode = new Set()));
    onNode.add(pod);
    this.nodeCountChanged(pod.nodeName);
  }

  remove(pod: Pod): void {
    if (!this.pods.delete(pod)) return;
    if (pod.ready) this.available--;
    this.notReady.delete(pod);
    const n = this.podsOnNode.get(pod.nodeName)! - 1;
    if (n === 0) this.podsOnNode.delete(pod.nodeName);
    else this.podsOnNode.set(pod.nodeName, n);
    const onNode = this.byNode.get(pod.nodeName)!;
    onNode.delete(pod);
    if (onNode.size === 0) this.byNode.delete(pod.nodeName);
    this.nodeCountChanged(pod.nodeName);
  }

  /** The pod was bound to a node after it was created (it waited for room): it counts there now. */
  nodeChanged(pod: Pod, oldNode: string): void {
    if (!this.pods.has(pod) || pod.nodeName === oldNode) return;
    const n = this.podsOnNode.get(oldNode)! - 1;
    if (n === 0) this.podsOnNode.delete(oldNode);
    else this.podsOnNode.set(oldNode, n);
    this.podsOnNode.set(pod.nodeName, (this.podsOnNode.get(pod.nodeName) ?? 0) + 1);
    const onOld = this.byNode.get(oldNode)!;
    onOld.delete(pod);
    if (onOld.size === 0) this.byNode.delete(oldNode);
    let onNode = this.byNode.get(pod.nodeName);
    if (!onNode) this.byNode.set(pod.nodeName, (onNode = new Set()));
    onNode.add(pod);
    this.nodeCountChanged(oldNode);
    this.nodeCountChanged(pod.nodeName);
  }

  readinessChanged(pod: Pod, wasReady: boolean): void {
    if (!this.pods.has(pod) || pod.ready === wasReady) return;
    this.available += pod.ready ? 1 : -1;
    if (pod.ready) this.notReady.delete(pod);
    else this.notReady.add(pod);
    this.touch(pod.nodeName);
  }

  /**
   * getPodsToDelete: every pod when all go; else the first `count` in ActivePodsWithRanks order. Not-ready
   * pods come before ready ones and are ordered apart (few); ready ones are taken from the kept order.
   * SIM: upstream sorts all pods at each scale-down with the current time; here the order of ready pods
   * is kept between rebuilds (every REORDER_AFTER of simulated time) and compares ages as of the last
   * rebuild, so LogarithmicScaleDown's age buckets move every 30 s, not continuously.
   */
  victims(count: number, now: Micros): Pod[] {
    if (count >= this.pods.size) return [...this.pods];
    const rank = (p: Pod) => this.podsOnNode.get(p.nodeName) ?? 0;
    const out = [...this.notReady].sort((a, b) => (lessOrNewer(a, b, rank(a), rank(b), now) ? -1 : lessOrNewer(b, a, rank(b), rank(a), now) ? 1 : 0)).slice(0, count);
    if (out.length === count) return out;
    const ordered = this.readyInOrder(now);
    while (out.length < count) {
      const head = ordered.pop();
      if (!head) break;
      const order = this.nodeOrder.get(head.nodeName);
      if (order?.version !== head.version) continue;
      out.push(order.pods[head.index]);
      // The ranks stay those of this call (as in one sort); the node's next pod competes next.
      const next = this.head(order, head.nodeName, head.rank, head.index + 1);
      if (next) ordered.push(next);
    }
    return out;
  }

  private readyInOrder(now: Micros): BinaryHeap<NodeHead> {
    let nodes: Iterable<string> = this.touched;
    if (!this.ordered || now - this.orderedAt > REORDER_AFTER) {
      const at = (this.orderedAt = now);
      this.ordered = new BinaryHeap((a, b) => lessOrNewer(a, b, a.rank, b.rank, at));
      this.nodeOrder.clear();
      nodes = this.byNode.keys();
    }
    const heads: NodeHead[] = [];
    for (const node of nodes) {
      const head = this.sortNode(node);
      if (head) heads.push(head);
    }
    this.touched.clear();
    for (const head of heads) this.ordered.push(head);
    if (this.ordered.size > 64 && this.ordered.size > 2 * this.nodeOrder.size) this.ordered.filter((h) => this.nodeOrder.get(h.nodeName)?.version === h.version);
    return this.ordered;
  }

  /** Sorts a node's ready pods afresh (at its current rank) and returns its first, or undefined. */
  private sortNode(node: string): NodeHead | undefined {
    const rank = this.podsOnNode.get(node) ?? 0;
    const at = this.orderedAt;
    const pods: Pod[] = [];
    for (const pod of this.byNode.get(node) ?? []) if (pod.ready) pods.push(pod);
    if (pods.length === 0) {
      this.nodeOrder.delete(node);
      return undefined;
    }
    pods.sort((a, b) => (lessOrNewer(a, b, rank, rank, at) ? -1 : lessOrNewer(b, a, rank, rank, at) ? 1 : 0));
    const order = { pods, version: ++this.versions };
    this.nodeOrder.set(node, order);
    return this.head(order, node, rank, 0);
  }

  /** A snapshot of the order fields of a node's `index`-th pod (the heap must not see later changes). */
  private head(order: NodeOrder, nodeName: string, rank: number, index: number): NodeHead | undefined {
    const pod = order.pods[index];
    if (!pod) return undefined;
    return { nodeName, rank, index, version: order.version, phase: pod.phase, ready: pod.ready, readyTransitionTime: pod.readyTransitionTime, creationTime: pod.creationTime, uid: pod.uid, seq: pod.seq };
  }
}

/** A node's ready pods of one ReplicaSet in order, under the version its heads carry. */
interface NodeOrder {
  readonly pods: Pod[];
  readonly version: number;
}

/** The first pod not yet taken of a node's order, as it was when sorted. */
interface NodeHead extends PodOrderKey {
  readonly rank: number;
  readonly index: number;
  readonly version: number;
}

/** How long a kept victim order lasts before it is rebuilt (LogarithmicScaleDown's age buckets move with time). */
const REORDER_AFTER = micros(30e6);

/** lessActivePod with upstream's ties broken: the newer pod first. */
export function lessOrNewer(a: PodOrderKey, b: PodOrderKey, rankA: number, rankB: number, now: Micros): boolean {
  // Fast path: alike on every key (pods of one rollout step on equally loaded nodes).
  if (rankA === rankB && a.ready === b.ready && a.phase === b.phase && a.readyTransitionTime === b.readyTransitionTime && a.creationTime === b.creationTime) return a.seq > b.seq;
  return lessActivePod(a, b, rankA, rankB, now) ?? a.seq > b.seq;
}

/** GetScaledValueFromIntOrPercent: integers as they are, percentages of `total` rounded up or down. */
export function scaledValue(v: number | string, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const pct = (Number(v.slice(0, -1)) * total) / 100;
  return roundUp ? Math.ceil(pct) : Math.floor(pct);
}

/** ResolveFenceposts: maxSurge rounds up, maxUnavailable down; both 0 would deadlock, so unavailable becomes 1. */
export function resolveFenceposts(maxSurge: number | string, maxUnavailable: number | string, replicas: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge, replicas, true);
  let unavailable = scaledValue(maxUnavailable, replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export class Deployment {
  /** Oldest first; the last one is the current template's. */
  private readonly sets: ReplicaSet[] = [];
  /** Active pods of this Deployment per node, over all its ReplicaSets. */
  private readonly podsOnNode = new Map<string, number>();
  private readonly nodeCountChanged = (node: string) => {
    for (const rs of this.sets) rs.touch(node);
  };
  private readonly owner = new Map<Pod, ReplicaSet>();
  private strategy = { maxSurge: '25%' as number | string, maxUnavailable: '25%' as number | string };
  private syncQueued = false;
  /** Set while the workload swaps pods itself (the `replace` model): the controllers need not react. */
  private swapping = false;
  constructor(
    private readonly sim: Simulator,
    readonly service: number,
    private replicas: number,
    private readonly lifecycle: PodLifecycle,
    pods: PodStore,
    /** Told of every pod deleted to be replaced (rollout steps, deletions, churn). */
    private readonly onReplaced: () => void,
  ) {
    this.sets.push(new ReplicaSet(replicas, this.podsOnNode, this.nodeCountChanged));
    pods.subscribe((pod, old, deleted) => {
      if (pod.service !== this.service) return;
      if (deleted) this.release(pod);
      else if (old) {
        this.owner.get(pod)?.nodeChanged(pod, old.nodeName);
        this.owner.get(pod)?.readinessChanged(pod, old.ready);
      }
      if (!this.swapping && this.needsSync()) this.queueSync();
    });
  }

  private get current(): ReplicaSet {
    return this.sets[this.sets.length - 1];
  }

  /** Runs a swap of pods that leaves the counts as they were, without a Deployment sync in between. */
  swap(change: () => void): void {
    this.swapping = true;
    try {
      change();
    } finally {
      this.swapping = false;
    }
    if (this.needsSync()) this.queueSync();
  }

  /** A pod the current ReplicaSet owns (initial pods, the `replace` model's new pods). */
  adopt(pod: Pod): void {
    this.current.add(pod);
    this.owner.set(pod, this.current);
  }

  private release(pod: Pod): void {
    this.owner.get(pod)?.remove(pod);
    this.owner.delete(pod);
  }

  /** Deletes a pod (gracefully); its ReplicaSet replaces it if it still wants it. */
  deletePod(pod: Pod, replacement: boolean): void {
    if (pod.deletionTimestamp !== null) return;
    if (replacement) this.onReplaced();
    this.release(pod);
    this.lifecycle.delete(pod);
    this.queueSync();
  }

  /** The first ready pod of the oldest ReplicaSet that has one (O(1) when the oldest pods are ready). */
  oldestReady(): Pod | undefined {
    for (const rs of this.sets) for (const p of rs.pods) if (p.ready) return p;
    return undefined;
  }

  /** Active (not terminating) pods of all ReplicaSets, oldest ReplicaSet first. */
  activePods(): Pod[] {
    return this.sets.flatMap((rs) => [...rs.pods]);
  }

  /** A new pod template: a new ReplicaSet, rolled out with these bounds. */
  rollout(maxSurge: number | string, maxUnavailable: number | string): void {
    this.strategy = { maxSurge, maxUnavailable };
    this.lifecycle.newRevision(this.service);
    this.sets.push(new ReplicaSet(0, this.podsOnNode, this.nodeCountChanged));
    this.queueSync();
  }

  scale(replicas: number): void {
    this.replicas = replicas;
    this.queueSync();
  }

  /** Whether anything is left to do: a rollout under way, or a ReplicaSet short of (or over) its count. */
  private needsSync(): boolean {
    if (this.current.replicas !== this.replicas) return true;
    for (const rs of this.sets) if (rs.pods.size !== rs.replicas || (rs !== this.current && rs.replicas > 0)) return true;
    return false;
  }

  /** Controllers react to the informer events of this instant together, right after them. */
  private queueSync(): void {
    if (this.syncQueued) return;
    this.syncQueued = true;
    this.sim.schedule(micros(0), () => {
      this.syncQueued = false;
      this.sync();
    });
  }

  private sync(): void {
    const old = this.sets.slice(0, -1).filter((rs) => rs.replicas > 0 || rs.pods.size > 0);
    if (old.every((rs) => rs.replicas === 0)) this.current.replicas = this.replicas; // not rolling: scale in place
    else this.rollingUpdate(old);
    for (const rs of this.sets) this.manageReplicas(rs);
  }

  private rollingUpdate(old: ReplicaSet[]): void {
    const { surge, unavailable } = resolveFenceposts(this.strategy.maxSurge, this.strategy.maxUnavailable, this.replicas);
    const total = () => this.sets.reduce((n, rs) => n + rs.replicas, 0);
    const next = this.current;
    // reconcileNewReplicaSet
    if (next.replicas > this.replicas) next.replicas = this.replicas;
    else if (next.replicas < this.replicas) {
      const room = this.replicas + surge - total();
      if (room > 0) next.replicas += Math.min(room, this.replicas - next.replicas);
    }
    // reconcileOldReplicaSets
    const minAvailable = this.replicas - unavailable;
    const newUnavailable = next.replicas - next.available;
    let maxScaledDown = total() - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return;
    // cleanupUnhealthyReplicas: old ReplicaSets give up their unavailable pods first.
    for (const rs of old) {
      if (maxScaledDown <= 0) break;
      const unhealthy = rs.replicas - rs.available;
      if (unhealthy <= 0) continue;
      const n = Math.min(maxScaledDown, unhealthy);
      rs.replicas -= n;
      maxScaledDown -= n;
    }
    // scaleDownOldReplicaSetsForRollingUpdate: keep minAvailable pods available.
    const availableAll = this.sets.reduce((n, rs) => n + rs.available, 0);
    let toScaleDown = availableAll - minAvailable;
    for (const rs of old) {
      if (toScaleDown <= 0) break;
      const n = Math.min(rs.replicas, toScaleDown);
      rs.replicas -= n;
      toScaleDown -= n;
    }
  }

  /** The ReplicaSet controller: create or delete pods until the ReplicaSet has `replicas` active pods. */
  private manageReplicas(rs: ReplicaSet): void {
    const diff = rs.replicas - rs.pods.size;
    if (diff > 0) {
      for (let i = 0; i < diff; i++) {
        const pod = this.lifecycle.start(this.service);
        rs.add(pod);
        this.owner.set(pod, rs);
      }
    } else if (diff < 0) {
      const victims = rs.victims(-diff, this.sim.now);
      const rollingOut = rs !== this.current;
      for (const pod of victims) this.deletePod(pod, rollingOut);
    }
  }
}
