// kube-proxy's settings as the simulation uses them (resolved from the scenario's kubeProxy section).

export type ProxyMode = 'iptables' | 'nftables' | 'ipvs';

/**
 * Which BoundedFrequencyRunner: `bounded` (pkg/proxy/runner, current releases: no burst, minSyncPeriod
 * from the end of one sync to the start of the next) or `tokenBucket` (pkg/util/async, older releases:
 * a token bucket of burst 2 refilled every minSyncPeriod).
 */
export type ProxyRunner = 'bounded' | 'tokenBucket';

export interface ProxyConfig {
  mode: ProxyMode;
  runner: ProxyRunner;
  /** µs */
  minSyncPeriod: number;
  /** µs: the runner's retry interval (and the periodic sync of ipvs mode). */
  syncPeriod: number;
  /** A sync FULL_SYNC_PERIOD after the last full one is full (kubernetes/kubernetes#129329, 1.33). */
  periodicFullSync: boolean;
  /** iptables: in large-cluster mode, stale chains are looked for at most once per syncPeriod (#110334, 1.25). */
  largeClusterCleanup: boolean;
  /** iptables mode writes only changed Services' chains (MinimizeIPTablesRestore, KEP-3453). */
  minimizeIPTablesRestore: boolean;
  /** Services and endpoints on every node's rules that the scenario does not change (the rest of the cluster). */
  otherServices: number;
  otherEndpoints: number;
  /**
   * The share of the reference machines' core (sync-cost.ts) a sync gets on the node: 1 = a core of its
   * own; 0.5 = half, as on a shared-core e2-medium whose two vCPUs each get half a core.
   */
  cpuShare: number;
  /** A fixed cost model instead of the mode's: base + perEndpoint × endpoints rewritten (µs). */
  fixedCost?: { base: number; perEndpoint: number };
}

/** proxyutil.FullSyncPeriod: an hour, µs. */
export const FULL_SYNC_PERIOD = 3_600_000_000;

/** The runner's maxInterval: an hour (time.Hour, then proxyutil.FullSyncPeriod) for iptables and nftables; syncPeriod for ipvs. */
export const MAX_INTERVAL = 3_600_000_000;
