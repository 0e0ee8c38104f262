// What one kube-proxy rules sync costs, per proxy mode. Each function is a modelling choice [derived]
// from the rule structure the proxier writes; each constant carries the published figure it comes
// from. Inputs are what the proxier knows at the sync: every Service and endpoint it programs, and the
// Services whose EndpointSlices (or Endpoints) changed since the last sync.
import type { ProxyMode } from './proxy-config.js';

export interface SyncWork {
  /** Services and endpoints programmed on the node (the whole ruleset). */
  services: number;
  endpoints: number;
  /** Services changed since the last sync, and the endpoints they hold now. */
  changedServices: number;
  changedServiceEndpoints: number;
  /** A full sync (everything rewritten) rather than a partial one. */
  full: boolean;
  /** The sync also reads the whole table back (iptables-save) to delete stale chains. */
  cleanup: boolean;
}

// --- iptables: one measured cluster, kubernetes/kubernetes#138073 (kube-proxy --v=2 logs, 3,595
// Services). The per-line rates below come from its log lines, so full and partial syncs are costed
// on the same machine.

/** #138073, full sync: "numNATChains=195195 numNATRules=578470" plus 5 filter chains and 45 rules written. */
const FULL_SYNC_LINES_138073 = 195_195 + 578_470 + 5 + 45;
/**
 * The whole sync per ruleset line (building the rules in Go, iptables-restore, the rest of
 * syncProxyRules): #138073's full sync took "elapsed=17.512279785s" for those lines, 22.6 µs a line.
 * (Of it, iptables-restore alone took 10.49 s, 13.6 µs a line; #96018 measured 18.4 µs a line for
 * iptables-restore alone on another machine.)
 */
export const IPTABLES_FULL_SYNC_US_PER_LINE = 17_512_280 / FULL_SYNC_LINES_138073;
/**
 * iptables-save of the nat table, per line: #138073 traced "iptables save" at 3,831 ms, reading back the
 * table the previous sync had written (the lines above): 4.95 µs a line. The proxier runs it to find
 * stale chains: on every sync, or, in large-cluster mode, at most once per syncPeriod.
 */
export const IPTABLES_SAVE_US_PER_LINE = 3_831_232 / FULL_SYNC_LINES_138073;
/**
 * A partial sync still costs something per line of the whole table: the proxier walks every Service,
 * and iptables-legacy's restore reads and writes the whole table blob whatever the input. #138073's
 * partial sync ("fullSync=false") took "elapsed=2.837692607s" writing 12,044 + 38,841 nat and 6 + 46
 * filter lines while the table held 138,792 endpoints; the table's lines are scaled from the full sync
 * by endpoints (138,792 / 211,876, same 3,595 Services). What the written lines cost at the full-sync
 * rate is taken off; the rest, spread over the table, is 3.3 µs a line.
 */
const PARTIAL_WRITTEN_138073 = 12_044 + 38_841 + 6 + 46;
const PARTIAL_TABLE_LINES_138073 = (FULL_SYNC_LINES_138073 * 138_792) / 211_876;
export const IPTABLES_PARTIAL_US_PER_TABLE_LINE = (2_837_693 - PARTIAL_WRITTEN_138073 * IPTABLES_FULL_SYNC_US_PER_LINE) / PARTIAL_TABLE_LINES_138073;
/**
 * The proxier's large-cluster mode (more endpoints than largeClusterEndpointsThreshold, pkg/proxy/iptables
 * proxier.go): stale chains are cleaned up at most once per syncPeriod instead of on every sync
 * (kubernetes/kubernetes#110334, 1.25).
 */
export const LARGE_CLUSTER_ENDPOINTS_THRESHOLD = 1000;
/**
 * iptables-restore time per ruleset line: kubernetes/kubernetes#96018 measured `iptables-restore` (the
 * nft backend) of a 695,992-line ruleset at 12.8 s (real): 18.4 µs per line. Used for the lines the
 * nftables and ipvs syncs write.
 */
export const IPTABLES_RESTORE_US_PER_LINE = 12.8e6 / 695_992;
/**
 * Lines per Service port and per endpoint in the nat table, from the chains the iptables proxier writes
 * (kubernetes/kubernetes pkg/proxy/iptables/proxier.go syncProxyRules): a Service has its KUBE-SERVICES
 * rule, its KUBE-SVC chain and a masquerade rule; an endpoint has its KUBE-SEP chain, a masquerade
 * rule, a DNAT rule and a probability rule in the Service chain.
 */
export const IPTABLES_LINES_PER_SERVICE = 3;
export const IPTABLES_LINES_PER_ENDPOINT = 4;
/**
 * A partial sync (MinimizeIPTablesRestore, KEP-3453) still writes KUBE-SERVICES, KUBE-EXTERNAL-SERVICES
 * and KUBE-NODEPORTS whole: one line per Service, whatever changed.
 */
export const IPTABLES_PARTIAL_LINES_PER_SERVICE = 1;
/**
 * nftables: the whole-table part of an incremental sync. kubernetes/kubernetes#126013 measured adding
 * one Service to 10,000 Services of 2 endpoints each at 141 ms once syncs were partial: 141 ms over
 * 30,000 Services and endpoints, 4.7 µs each.
 */
export const NFTABLES_US_PER_OBJECT = 141_000 / 30_000;
/**
 * SIM: a sync's fixed cost (exec of the restore tool, bookkeeping) has no published figure for a small
 * ruleset; 10 ms is assumed.
 */
export const SYNC_BASE_US = 10_000;

/** Lines a full rewrite of the whole ruleset takes. */
const fullLines = (w: SyncWork) => IPTABLES_LINES_PER_SERVICE * w.services + IPTABLES_LINES_PER_ENDPOINT * w.endpoints;
/** Lines of the changed Services' own chains. */
const changedLines = (w: SyncWork) => IPTABLES_LINES_PER_SERVICE * w.changedServices + IPTABLES_LINES_PER_ENDPOINT * w.changedServiceEndpoints;

/** Whether an iptables sync with `endpoints` on the node runs in the proxier's large-cluster mode. */
export const largeClusterMode = (endpoints: number) => endpoints > LARGE_CLUSTER_ENDPOINTS_THRESHOLD;

/** CPU time of one sync on the reference machines above (a core of its own), µs. */
function syncWork(mode: ProxyMode, w: SyncWork): number {
  switch (mode) {
    case 'iptables': {
      // Before MinimizeIPTablesRestore (GA 1.28) every sync was full; since, only periodic ones are.
      const save = w.cleanup ? IPTABLES_SAVE_US_PER_LINE * fullLines(w) : 0;
      if (w.full) return SYNC_BASE_US + save + IPTABLES_FULL_SYNC_US_PER_LINE * fullLines(w);
      const written = IPTABLES_PARTIAL_LINES_PER_SERVICE * w.services + changedLines(w);
      return SYNC_BASE_US + save + IPTABLES_PARTIAL_US_PER_TABLE_LINE * fullLines(w) + IPTABLES_FULL_SYNC_US_PER_LINE * written;
    }
    case 'nftables':
      // KEP-3866: the transaction is O(changed) but the proxier lists the whole table on every sync.
      if (w.full) return SYNC_BASE_US + IPTABLES_RESTORE_US_PER_LINE * fullLines(w);
      return SYNC_BASE_US + NFTABLES_US_PER_OBJECT * (w.services + w.endpoints) + IPTABLES_RESTORE_US_PER_LINE * changedLines(w);
    case 'ipvs':
      // SIM: ipvs walks every Service and applies the changed ones through netlink; costed like nftables'
      // incremental sync (no published figure of its own found).
      return SYNC_BASE_US + NFTABLES_US_PER_OBJECT * (w.services + w.endpoints) + IPTABLES_RESTORE_US_PER_LINE * changedLines(w);
  }
}

/**
 * Duration of one sync, µs, on a node whose kube-proxy gets `cpuShare` of the reference machines' core
 * (kubeProxy.cpuShare): the sync is single-threaded CPU work (syncProxyRules, then the restore tool),
 * so half the CPU takes twice as long.
 */
export function syncCost(mode: ProxyMode, w: SyncWork, cpuShare = 1): number {
  return syncWork(mode, w) / cpuShare;
}
