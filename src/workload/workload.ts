// The scenario's workload: the pods present at time 0 and the steps that change them. Every service
// is backed by a Deployment; steps act on it as kubectl and the cluster would.
import type { Simulator } from '../engine/simulator.js';
import type { Rng } from '../engine/rng.js';
import { micros, type Micros } from '../engine/time.js';
import type { Node, Pod } from '../model/cluster.js';
import type { ResolvedScenario, ResolvedStep } from '../scenario/resolve.js';
import type { PodFactory } from './cluster.js';
import { Deployment } from './deployment.js';
import { PodLifecycle } from './lifecycle.js';
import type { PodStore } from './pod-store.js';

export class UnsupportedActionError extends Error {}

export class Workload {
  private readonly serviceIndex: Map<string, number>;
  private readonly lifecycle: PodLifecycle;
  readonly deployments: Deployment[];

  constructor(
    private readonly sim: Simulator,
    /** The workload's own random streams: pod delays, deletePods victims, churn times and victims. */
    private readonly rng: { delays: Rng; victims: Rng; churn: Rng },
    private readonly scenario: ResolvedScenario,
    private readonly pods: PodStore,
    private readonly factory: PodFactory,
    private readonly nodes: readonly Node[],
    /** Told of every pod deleted to be replaced. */
    private readonly onReplaced: () => void,
    /** Faults the workload injects into the control plane. */
    private readonly faults: { etcdCompaction(): void; apiserverRestart(instance: number): void; watcherStall(nodes: number, length: Micros): void },
  ) {
    this.serviceIndex = new Map(scenario.services.map((s, i) => [s.name, i]));
    this.lifecycle = new PodLifecycle(sim, rng.delays, scenario.services, pods, factory);
    this.deployments = scenario.services.map((s, i) => new Deployment(sim, i, s.replicas, this.lifecycle, pods, onReplaced));
  }

  /** Pods already running and ready when the services are created. */
  createInitialPods(): void {
    this.scenario.services.forEach((spec, i) => {
      for (let n = 0; n < spec.replicas; n++) this.deployments[i].adopt(this.lifecycle.addReady(i));
    });
  }

  /** Runs a workload step at its time (the caller has started its phase). */
  run(step: ResolvedStep): void {
    switch (step.action) {
      case 'replace':
        return this.replace(this.deployment(step.service), step.count, step.interval);
      case 'rollingUpdate':
        return this.deployment(step.service).rollout(step.maxSurge, step.maxUnavailable);
      case 'scale':
        return this.deployment(step.service).scale(step.replicas);
      case 'deletePods': {
        const d = this.deployment(step.service);
        const live = d.activePods();
        for (const i of this.rng.victims.sample(live.length, step.count)) d.deletePod(live[i], true);
        return;
      }
      case 'churn':
        return this.churn(this.deployment(step.service), step.rate, step.duration);
      case 'nodeFailure':
        return this.nodeFailure(step.nodes, step.zone);
      case 'etcdCompaction':
        return this.faults.etcdCompaction();
      case 'apiserverRestart':
        return this.faults.apiserverRestart(step.instance);
      case 'watcherStall':
        return this.faults.watcherStall(step.nodes, step.duration);
      default: {
        const unknown: never = step;
        throw new UnsupportedActionError(`workload step: unknown action ${JSON.stringify(unknown)}`);
      }
    }
  }

  private deployment(name: string): Deployment {
    return this.deployments[this.serviceIndex.get(name)!];
  }

  /**
   * The blog's model: each step removes the oldest ready pod and adds a ready one in the same instant,
   * one endpoint change per step (no lifecycle, no grace period).
   */
  private replace(d: Deployment, count: number, interval: Micros): void {
    let done = 0;
    const step = () => {
      // The oldest ready pod goes; with none ready (a failed node, pods still starting) the oldest
      // active one, so the count stays at the replicas. With no pod at all there is nothing to replace.
      const victim = d.oldestReady() ?? d.activePods()[0];
      if (victim) {
        d.swap(() => {
          this.onReplaced();
          d.adopt(this.lifecycle.replaceReady(victim, d.service));
        });
      }
      if (++done < count) this.sim.schedule(interval, step);
    };
    step();
  }

  /** Pod churn: random pods deleted (and replaced by their ReplicaSet) at `rate` per second, a Poisson process. */
  private churn(d: Deployment, rate: number, length: Micros): void {
    const end = this.sim.now + length;
    const next = () => {
      const gap = micros(this.rng.churn.exponential(1e6 / rate));
      if (this.sim.now + gap > end) return;
      this.sim.schedule(gap, () => {
        const live = d.activePods();
        if (live.length > 0) d.deletePod(live[this.rng.churn.int(live.length)], true);
        next();
      });
    };
    next();
  }

  /** Nodes stop: the `nodes` first nodes (or every node of `zone`); their pods turn not ready at once. */
  private nodeFailure(count: number | undefined, zone: string | undefined): void {
    const failed = new Map(this.nodes.filter((n, i) => (zone !== undefined ? n.zone === zone : i < (count ?? 0))).map((n) => [n.name, [] as Pod[]]));
    for (let s = 0; s < this.scenario.services.length; s++) for (const p of this.pods.podsOf(s)) failed.get(p.nodeName)?.push(p);
    for (const n of this.nodes) if (failed.has(n.name)) n.ready = false; // the node's Ready condition turns Unknown
    for (const [name, onNode] of failed) this.lifecycle.failNode(name, onNode);
  }
}
