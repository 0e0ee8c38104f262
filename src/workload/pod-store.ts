// The pods of the cluster and their informer: every change is announced to the subscribed
// controllers (with the pod as it was before), as a shared informer would, with no delay.
import type { Pod } from '../model/cluster.js';

/** `old` is valid only during the call (the store reuses it): read it, never keep it. */
export type PodHandler = (pod: Pod, old: Readonly<Pod> | undefined, deleted: boolean) => void;

export class PodStore {
  private readonly byService: Map<string, Pod>[] = [];
  private readonly handlers: PodHandler[] = [];
  /** The pod as it was before the update being announced: one object reused, handlers must not keep it. */
  private readonly before = {} as Pod;

  constructor(services: number) {
    for (let i = 0; i < services; i++) this.byService.push(new Map());
  }

  subscribe(handler: PodHandler): void {
    this.handlers.push(handler);
  }

  /** Pods selected by a service, in creation order. */
  podsOf(service: number): IterableIterator<Pod> {
    return this.byService[service].values();
  }

  count(service: number): number {
    return this.byService[service].size;
  }

  get(service: number, key: string): Pod | undefined {
    return this.byService[service].get(key);
  }

  add(pod: Pod): void {
    this.byService[pod.service].set(pod.key, pod);
    for (const h of this.handlers) h(pod, undefined, false);
  }

  /** Applies `change` to the pod and announces it. */
  update(pod: Pod, change: (p: Pod) => void): void {
    const old = Object.assign(this.before, pod);
    change(pod);
    pod.resourceVersion++;
    for (const h of this.handlers) h(pod, old, false);
  }

  remove(pod: Pod): void {
    this.byService[pod.service].delete(pod.key);
    for (const h of this.handlers) h(pod, pod, true);
  }
}
