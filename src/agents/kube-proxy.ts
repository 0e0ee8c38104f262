// kube-proxy on every node as a watch client: it watches the endpoint objects of non-headless Services
// (cmd/kube-proxy/app/server.go: the label selector excludes service.kubernetes.io/headless) and each
// cohort of nodes applies what it receives through its own runner (proxy-sync.ts).
import type { EndpointKind, StoredObject } from '../apiserver/store.js';
import type { WatchClient } from '../apiserver/watcher.js';
import { LABEL_HEADLESS } from '../model/cluster.js';
import type { LatencyRecorder } from '../report/latency.js';
import type { ProxyConfig } from './proxy-config.js';
import { ProxySync } from './proxy-sync.js';

export type { ProxyConfig, ProxyMode, ProxyRunner } from './proxy-config.js';

export class KubeProxyFleet implements WatchClient {
  private readonly syncs: ProxySync[] = [];

  constructor(
    readonly members: number,
    private readonly kind: EndpointKind,
    private readonly config: ProxyConfig,
    private readonly latency: LatencyRecorder,
  ) {}

  matches(object: StoredObject): boolean {
    return object.kind === this.kind && !(LABEL_HEADLESS in object.labels);
  }

  sink(members: number): ProxySync {
    const s = new ProxySync(this.config, members, this.latency, this.syncs);
    this.syncs.push(s);
    return s;
  }

  /** Node syncs run (each cohort's syncs times its nodes), or only the full ones. */
  syncCount(full = false): number {
    return this.syncs.reduce((n, s) => n + (full ? s.fullSyncs : s.syncs) * s.members, 0);
  }
}
