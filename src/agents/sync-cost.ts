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
}

/**
 * iptables-restore time per ruleset line: kubernetes/kubernetes#96018 measured `iptables-restore` of a
 * 695,992-line ruleset at 12.8 s (real): 18.4 µs per line.
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

/** Duration of one sync, µs. */
export function syncCost(mode: ProxyMode, w: SyncWork): number {
  switch (mode) {
    case 'iptables':
      // Before MinimizeIPTablesRestore (GA 1.28) every sync was full; since, only periodic ones are.
      if (w.full) return SYNC_BASE_US + IPTABLES_RESTORE_US_PER_LINE * fullLines(w);
      return SYNC_BASE_US + IPTABLES_RESTORE_US_PER_LINE * (IPTABLES_PARTIAL_LINES_PER_SERVICE * w.services + changedLines(w));
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
