// The scenario's workload: the pods present at time 0, pod lifecycles (created -> IP assigned, not
// ready -> ready -> terminating -> not serving -> gone) and the workload steps that drive them.
import type { Simulator } from '../engine/simulator.js';
import type { Rng } from '../engine/rng.js';
import { micros, type Micros } from '../engine/time.js';
import type { Pod } from '../model/cluster.js';
import type { Scenario, WorkloadStep } from '../scenario/schema.js';
import { duration } from '../scenario/units.js';
import { drawDelay } from './delays.js';
import type { PodFactory } from './cluster.js';
import type { PodStore } from './pod-store.js';

export class UnsupportedActionError extends Error {}

export class Workload {
  private readonly serviceIndex: Map<string, number>;

  constructor(
    private readonly sim: Simulator,
    private readonly rng: Rng,
    private readonly scenario: Scenario,
    private readonly pods: PodStore,
    private readonly factory: PodFactory,
  ) {
    this.serviceIndex = new Map(scenario.services.map((s, i) => [s.name, i]));
  }

  /** Pods already running and ready when the services are created. */
  createInitialPods(): void {
    this.scenario.services.forEach((spec, i) => {
      for (let n = 0; n < spec.replicas; n++) this.addReadyPod(i);
    });
  }

  private addReadyPod(service: number): Pod {
    const pod = this.factory.create(service);
    pod.podIPs = this.factory.assignIPs(pod);
    pod.phase = 'Running';
    pod.ready = true;
    this.pods.add(pod);
    return pod;
  }

  /** A new pod going through its lifecycle: IP after startupDelay, Ready after readinessDelay. */
  startPod(service: number): Pod {
    const template = this.scenario.services[service].pod;
    const pod = this.factory.create(service);
    this.pods.add(pod);
    this.sim.schedule(drawDelay(template.startupDelay, this.rng), () => {
      if (pod.deletionTimestamp !== null) return;
      this.pods.update(pod, (p) => {
        p.podIPs = this.factory.assignIPs(p);
        p.phase = 'Running';
      });
      this.sim.schedule(drawDelay(template.readinessDelay, this.rng), () => {
        if (pod.deletionTimestamp === null) this.pods.update(pod, (p) => (p.ready = true));
      });
    });
    return pod;
  }

  /** Graceful deletion: terminating at once, not ready after shutdownDelay, gone after the grace period. */
  deletePod(pod: Pod): void {
    if (pod.deletionTimestamp !== null) return;
    const template = this.scenario.services[pod.service].pod;
    const grace = drawDelay(template.terminationGracePeriod, this.rng);
    const shutdown = micros(Math.min(grace, drawDelay(template.shutdownDelay, this.rng)));
    this.pods.update(pod, (p) => (p.deletionTimestamp = this.sim.now));
    if (pod.ready) this.sim.schedule(shutdown, () => pod.ready && this.pods.update(pod, (p) => (p.ready = false)));
    this.sim.schedule(grace, () => this.removePod(pod));
  }

  private removePod(pod: Pod): void {
    this.factory.releaseIPs(pod);
    this.pods.remove(pod);
  }

  /** Pods of a service that are not terminating, oldest first. */
  private livePods(service: number): Pod[] {
    return [...this.pods.podsOf(service)].filter((p) => p.deletionTimestamp === null);
  }

  /** O(1) when the oldest pods are the ready ones, as in a replace run. */
  private oldestReady(service: number): Pod | undefined {
    for (const p of this.pods.podsOf(service)) if (p.ready && p.deletionTimestamp === null) return p;
    return undefined;
  }

  /** Runs a workload step at its time (the caller has started its phase). */
  run(step: WorkloadStep): void {
    switch (step.action) {
      case 'replace':
        return this.replace(this.service(step.service), step.count, duration(step.interval));
      case 'scale':
        return this.scale(this.service(step.service), step.replicas);
      case 'deletePods': {
        const service = this.service(step.service);
        const live = this.livePods(service);
        for (const i of this.rng.sample(live.length, step.count)) this.deletePod(live[i]);
        // The ReplicaSet replaces deleted pods.
        for (let n = 0; n < Math.min(step.count, live.length); n++) this.startPod(service);
        return;
      }
      default:
        throw new UnsupportedActionError(`workload step "${step.name}": action ${step.action} is not simulated yet (supported: replace, scale, deletePods)`);
    }
  }

  private service(name: string): number {
    return this.serviceIndex.get(name)!;
  }

  /**
   * The blog's model: each step removes the oldest ready pod and adds a ready one in the same instant,
   * one endpoint change per step.
   */
  private replace(service: number, count: number, interval: Micros): void {
    let done = 0;
    const step = () => {
      const victim = this.oldestReady(service);
      if (victim) this.removePod(victim);
      this.addReadyPod(service);
      if (++done < count) this.sim.schedule(interval, step);
    };
    step();
  }

  /** Scaling a Deployment: new pods go through their lifecycle; a scale-down deletes the newest pods. */
  private scale(service: number, replicas: number): void {
    const live = this.livePods(service);
    for (let n = live.length; n < replicas; n++) this.startPod(service);
    // ReplicaSet deletes not-ready pods first, then the newest.
    const victims = [...live].sort((a, b) => Number(a.ready) - Number(b.ready) || b.seq - a.seq).slice(0, Math.max(0, live.length - replicas));
    for (const pod of victims) this.deletePod(pod);
  }
}
