// A pod's life as the kubelet and API server play it out: created without an IP; after startupDelay
// the IP is reported (Running, not ready); after readinessDelay it turns Ready. Deletion is graceful:
// terminating at once (deletionTimestamp), not ready after shutdownDelay (its containers stop), gone
// after the grace period. Delays are drawn from the scenario's distributions with the run's generator.
import type { Simulator } from '../engine/simulator.js';
import type { Rng } from '../engine/rng.js';
import { micros } from '../engine/time.js';
import type { Pod } from '../model/cluster.js';
import type { ResolvedServiceSpec } from '../scenario/resolve.js';
import type { PodFactory } from './cluster.js';
import type { PodStore } from './pod-store.js';

export class PodLifecycle {
  constructor(
    private readonly sim: Simulator,
    private readonly rng: Rng,
    private readonly specs: readonly ResolvedServiceSpec[],
    private readonly pods: PodStore,
    private readonly factory: PodFactory,
  ) {}

  /** A pod already running and ready (the pods present at time 0, and the blog's `replace` model). */
  addReady(service: number): Pod {
    return this.runReady(this.factory.create(service));
  }

  /**
   * The blog's `replace` model: `victim` goes and a ready pod of `service` comes in the same instant.
   * On a full cluster the new pod takes the victim's place, not a pod waiting for a node (fuzz: a
   * rollout's waiting pod took it and "no room" was thrown). A victim that never had a node (every
   * node full, none ready) is replaced by a pod that waits for a node and starts like any new pod.
   */
  replaceReady(victim: Pod, service: number): Pod {
    if (this.factory.isUnbound(victim)) {
      this.remove(victim);
      return this.start(service);
    }
    if (!this.factory.anyWaiting()) {
      this.remove(victim);
      return this.addReady(service);
    }
    const pod = this.factory.create(service);
    this.factory.firstInLine(pod, (nodeName) => (pod.nodeName = nodeName));
    this.remove(victim);
    return this.runReady(pod);
  }

  private runReady(pod: Pod): Pod {
    this.factory.requireBound(pod);
    pod.creationTime = this.sim.now;
    pod.podIPs = this.factory.assignIPs(pod);
    pod.phase = 'Running';
    pod.ready = true;
    pod.readyTransitionTime = this.sim.now;
    this.pods.add(pod);
    return pod;
  }

  /** A new pod template (a rollout): later pods get the new template hash in their names. */
  newRevision(service: number): void {
    this.factory.newRevision(service);
  }

  /** A new pod going through its lifecycle. */
  start(service: number): Pod {
    const template = this.specs[service].pod;
    const pod = this.factory.create(service);
    pod.creationTime = this.sim.now;
    this.pods.add(pod);
    const startup = () =>
      this.sim.schedule(template.startupDelay(this.rng), () => {
        if (pod.deletionTimestamp !== null) return;
        this.pods.update(pod, (p) => {
          p.podIPs = this.factory.assignIPs(p);
          p.phase = 'Running';
          // SIM: the kubelet's first status (Ready=False) is taken to come with the IP; a real kubelet
          // posts it a little earlier, so the trigger time of the first endpoint write is a little older.
          p.readyTransitionTime = this.sim.now;
        });
        this.becomeReadyLater(pod);
      });
    // A pod no node has room for stays Pending until one does (an unschedulable pod).
    this.factory.whenBound(pod, startup, (nodeName) => {
      this.pods.update(pod, (p) => (p.nodeName = nodeName));
      startup();
    });
    return pod;
  }

  /** The readiness probe passes after readinessDelay (unless the pod is deleted or its node failed meanwhile). */
  private becomeReadyLater(pod: Pod): void {
    this.sim.schedule(this.specs[pod.service].pod.readinessDelay(this.rng), () => {
      if (pod.deletionTimestamp === null && !pod.ready && !this.isNodeFailed(pod.nodeName)) this.pods.update(pod, (p) => this.setReady(p, true));
    });
  }

  /** Graceful deletion. */
  delete(pod: Pod): void {
    if (pod.deletionTimestamp !== null) return;
    const template = this.specs[pod.service].pod;
    const grace = template.terminationGracePeriod(this.rng);
    const shutdown = micros(Math.min(grace, template.shutdownDelay(this.rng)));
    this.pods.update(pod, (p) => (p.deletionTimestamp = this.sim.now));
    if (pod.ready) this.sim.schedule(shutdown, () => pod.ready && this.pods.update(pod, (p) => this.setReady(p, false)));
    this.sim.schedule(grace, () => this.remove(pod));
  }

  /** The pod object is gone (after its grace period, or at once in the `replace` model). */
  remove(pod: Pod): void {
    this.factory.releaseIPs(pod);
    this.pods.remove(pod);
  }

  private readonly failedNodes = new Set<string>();

  isNodeFailed(node: string): boolean {
    return this.failedNodes.has(node);
  }

  /** The node stops reporting: the node lifecycle controller marks its pods not ready. */
  failNode(node: string, podsOnNode: Iterable<Pod>): void {
    this.failedNodes.add(node);
    for (const pod of podsOnNode) if (pod.ready) this.pods.update(pod, (p) => this.setReady(p, false));
  }

  /** The Ready condition changes: its lastTransitionTime is now. */
  private setReady(pod: Pod, ready: boolean): void {
    pod.ready = ready;
    pod.readyTransitionTime = this.sim.now;
  }
}
