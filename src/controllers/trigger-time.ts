// The last-change trigger time of a sync, as k8s.io/endpointslice util/trigger_time_tracker.go computes
// it for both controllers: on a Service's first sync, its creation time; afterwards the earliest Ready
// condition lastTransitionTime among pods whose transition is newer than the one the previous sync saw
// (new pods included); otherwise none, and the write carries no annotation. Upstream looks at every
// pod of the service on each sync; a Ready transition always comes with a pod update, so looking at
// the pods changed since the last sync gives the same answer.
import type { Micros } from '../engine/time.js';
import type { Pod } from '../model/cluster.js';

interface ServiceState {
  /** Pod name -> the Ready lastTransitionTime the last sync saw. */
  readonly lastPodTriggerTimes: Map<string, Micros>;
}

export class TriggerTimeTracker {
  private readonly states = new Map<string, ServiceState>();

  /**
   * ComputeEndpointLastChangeTriggerTime for one sync of `service`, given the pods that may have
   * changed since its last sync, by name, and `podOf` (undefined: the pod is gone). Updates the
   * tracker's state. Names and a lookup, not pairs: a sync of a 100,000-pod rollout would otherwise
   * build an array of pairs that outlives the young generation.
   */
  compute(service: string, creationTime: Micros | undefined, changed: Iterable<string>, podOf: (name: string) => Pod | undefined): Micros | undefined {
    let state = this.states.get(service);
    const wasKnown = state !== undefined;
    if (!state) this.states.set(service, (state = { lastPodTriggerTimes: new Map() }));
    let min: Micros | undefined;
    for (const name of changed) {
      const t = podOf(name)?.readyTransitionTime;
      if (t === undefined) {
        state.lastPodTriggerTimes.delete(name);
        continue;
      }
      const last = state.lastPodTriggerTimes.get(name);
      if (last === undefined || t > last) min = min === undefined || t < min ? t : min;
      state.lastPodTriggerTimes.set(name, t);
    }
    // The Service's own trigger time (its creation) never moves after the first sync.
    return wasKnown ? min : creationTime;
  }

  /** The Service is gone: its state goes (DeleteService). */
  deleteService(service: string): void {
    this.states.delete(service);
  }
}
