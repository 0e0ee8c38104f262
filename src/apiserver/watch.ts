// Watch fan-out. Every stored change becomes one event, serialized once per encoding (as the watch
// cache does since Kubernetes 1.17) and sent to every watcher whose selector matches. Watchers that
// behave alike form a group charged size × members, so a run costs O(writes × groups), not
// O(writes × nodes).
import type { WatchEventType } from '../model/protobuf/envelope.js';
import type { Metrics } from '../report/metrics.js';
import type { StoredObject } from './store.js';

export interface WatchEvent {
  readonly type: WatchEventType;
  readonly object: StoredObject;
  /** Bytes of this event on one watcher's stream (framing included). */
  readonly bytes: number;
}

export interface WatcherGroup {
  /** Watchers in the group (node agents it stands for). */
  readonly members: number;
  /** The group's label selector, evaluated server-side as the cacher does. */
  matches(object: StoredObject): boolean;
  deliver(event: WatchEvent): void;
}

export class WatchHub {
  private readonly groups: WatcherGroup[] = [];

  constructor(private readonly metrics: Metrics) {}

  addGroup(group: WatcherGroup): void {
    this.groups.push(group);
  }

  dispatch(event: WatchEvent): void {
    for (const g of this.groups) {
      if (!g.matches(event.object)) continue;
      this.metrics.watchDelivered(g.members, event.bytes * g.members);
      g.deliver(event);
    }
  }
}
