// Watch fan-out. Every stored change becomes one event, serialized once per encoding (as the watch
// cache does since Kubernetes 1.17) and sent to every watcher whose selector matches. Node agents are
// one fleet charged size × members and timed by cohorts, so a run costs O(writes × cohorts), not
// O(writes × nodes).
import type { Simulator } from '../engine/simulator.js';
import type { WatchEventType } from '../model/protobuf/envelope.js';
import type { Metrics } from '../report/metrics.js';
import type { KubeProxyFleet } from '../agents/kube-proxy.js';
import type { StoredObject } from './store.js';

export interface WatchEvent {
  readonly type: WatchEventType;
  readonly object: StoredObject;
  /** Bytes of this event on one watcher's stream (framing included). */
  readonly bytes: number;
  /** When the change that caused this write happened (the trigger-time annotation), µs. */
  readonly triggerTime?: number;
}

export class WatchHub {
  private readonly fleets: KubeProxyFleet[] = [];

  constructor(
    private readonly sim: Simulator,
    private readonly metrics: Metrics,
  ) {}

  addFleet(fleet: KubeProxyFleet): void {
    this.fleets.push(fleet);
  }

  /** Another reader of every event as it is dispatched (the traffic model). */
  observe(observer: (event: WatchEvent) => void): void {
    this.observers.push(observer);
  }

  private readonly observers: ((event: WatchEvent) => void)[] = [];

  dispatch(event: WatchEvent): void {
    for (const o of this.observers) o(event);
    for (const f of this.fleets) {
      if (!f.matches(event.object)) continue;
      this.metrics.watchDelivered(f.members, event.bytes * f.members);
      f.deliver(event, this.sim.now, this.metrics.phases.length - 1);
    }
  }

  nodesUpToDate(t: number): number {
    return this.fleets.reduce((n, f) => n + f.nodesUpToDate(t), 0);
  }

  finish(end: number): void {
    for (const f of this.fleets) f.finish(end);
  }
}
