// kube-proxy on every node, watching the model's endpoint objects with kube-proxy's label selector
// (headless services excluded). Nodes that behave alike are one group: they receive the same events
// at the same time, so the group stands for all of them in the watch fan-out.
import type { WatchEvent, WatcherGroup } from '../apiserver/watch.js';
import type { EndpointKind, StoredObject } from '../apiserver/store.js';
import { LABEL_HEADLESS } from '../model/cluster.js';

export class KubeProxyGroup implements WatcherGroup {
  eventsReceived = 0;

  constructor(
    readonly members: number,
    private readonly kind: EndpointKind,
  ) {}

  matches(object: StoredObject): boolean {
    return object.kind === this.kind && !(LABEL_HEADLESS in object.labels);
  }

  deliver(_event: WatchEvent): void {
    // SIM: delivery is instantaneous and rules are programmed at once; timing comes with the
    // API server egress and kube-proxy sync model.
    this.eventsReceived++;
  }
}
