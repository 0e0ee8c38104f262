// What a kube-proxy sync costs (src/agents/sync-cost.ts) and when the proxier pays for its stale-chain
// cleanup (src/agents/proxy-sync.ts): the per-line rates must reproduce the syncs they come from, and
// the rules that decide which sync does what must hold.
import { describe, expect, it } from 'vitest';
import {
  IPTABLES_FULL_SYNC_US_PER_LINE,
  IPTABLES_LINES_PER_ENDPOINT,
  IPTABLES_LINES_PER_SERVICE,
  IPTABLES_PARTIAL_US_PER_TABLE_LINE,
  IPTABLES_SAVE_US_PER_LINE,
  LARGE_CLUSTER_ENDPOINTS_THRESHOLD,
  SYNC_BASE_US,
  syncCost,
  type SyncWork,
} from '../src/agents/sync-cost.js';
import { ProxySync } from '../src/agents/proxy-sync.js';
import type { ProxyConfig } from '../src/agents/proxy-config.js';
import { LatencyRecorder } from '../src/report/latency.js';

const work = (w: Partial<SyncWork>): SyncWork => ({ services: 8100, endpoints: 67_750, changedServices: 5, changedServiceEndpoints: 300, full: false, cleanup: false, ...w });

describe('iptables sync cost (kubernetes/kubernetes#138073)', () => {
  it("the rates reproduce #138073's full sync, its iptables-save and its partial sync", () => {
    const fullLines = 195_195 + 578_470 + 5 + 45;
    expect(IPTABLES_FULL_SYNC_US_PER_LINE * fullLines).toBeCloseTo(17_512_280, -1);
    expect(IPTABLES_SAVE_US_PER_LINE * fullLines).toBeCloseTo(3_831_232, -1);
    const tableAtPartial = (fullLines * 138_792) / 211_876;
    const written = 12_044 + 38_841 + 6 + 46;
    expect(IPTABLES_PARTIAL_US_PER_TABLE_LINE * tableAtPartial + IPTABLES_FULL_SYNC_US_PER_LINE * written).toBeCloseTo(2_837_693, -1);
    // A partial sync's share per table line is well below a full rewrite's.
    expect(IPTABLES_PARTIAL_US_PER_TABLE_LINE).toBeLessThan(IPTABLES_FULL_SYNC_US_PER_LINE / 4);
  });

  it('a full sync costs every line and ignores what changed; a partial one grows with what changed', () => {
    const lines = IPTABLES_LINES_PER_SERVICE * 8100 + IPTABLES_LINES_PER_ENDPOINT * 67_750;
    expect(syncCost('iptables', work({ full: true }))).toBeCloseTo(SYNC_BASE_US + IPTABLES_FULL_SYNC_US_PER_LINE * lines, 6);
    expect(syncCost('iptables', work({ full: true, changedServiceEndpoints: 3000 }))).toBe(syncCost('iptables', work({ full: true })));
    const partial = syncCost('iptables', work({}));
    expect(partial).toBeLessThan(syncCost('iptables', work({ full: true })) / 5);
    expect(syncCost('iptables', work({ changedServiceEndpoints: 3000 }))).toBeGreaterThan(partial);
  });

  it('the cleanup adds an iptables-save of the whole table, in iptables mode only', () => {
    const lines = IPTABLES_LINES_PER_SERVICE * 8100 + IPTABLES_LINES_PER_ENDPOINT * 67_750;
    for (const full of [false, true]) {
      expect(syncCost('iptables', work({ full, cleanup: true })) - syncCost('iptables', work({ full }))).toBeCloseTo(IPTABLES_SAVE_US_PER_LINE * lines, 6);
    }
    expect(syncCost('nftables', work({ cleanup: true }))).toBe(syncCost('nftables', work({})));
  });

  it('half a core (kubeProxy.cpuShare 0.5, a shared-core e2-medium) takes twice as long, in every mode', () => {
    for (const mode of ['iptables', 'nftables', 'ipvs'] as const) {
      for (const full of [false, true]) expect(syncCost(mode, work({ full }), 0.5)).toBeCloseTo(2 * syncCost(mode, work({ full })), 6);
    }
  });
});

describe("the proxier's stale-chain cleanup (kubernetes/kubernetes#110334)", () => {
  const config = (otherEndpoints: number, largeClusterCleanup = true): ProxyConfig => ({
    mode: 'iptables',
    runner: 'bounded',
    minSyncPeriod: 0,
    syncPeriod: 30_000_000,
    periodicFullSync: false,
    largeClusterCleanup,
    minimizeIPTablesRestore: true,
    otherServices: 100,
    otherEndpoints,
    cpuShare: 1,
  });
  const change = (t: number) => ({ trigger: t, phase: 0, key: 'ns/a', service: 'ns/a', endpoints: 1, serviceEndpoints: 1, deleted: false });
  /** How long each sync of a change at each of `times` (µs) took, ms: the changes are far apart, so each sync starts at once. */
  const durations = (otherEndpoints: number, times: number[], largeClusterCleanup = true) => {
    const took: number[] = [];
    const recorder = { add: (_phase: number, ms: number) => took.push(ms) } as unknown as LatencyRecorder;
    const sync = new ProxySync(config(otherEndpoints, largeClusterCleanup), 1, recorder);
    for (const t of times) sync.receive(t, [change(t)], { endpoints: 1, services: 1 }, false);
    sync.finish(Infinity);
    return took;
  };
  const saveMs = (otherEndpoints: number) => (IPTABLES_SAVE_US_PER_LINE * (IPTABLES_LINES_PER_SERVICE * 101 + IPTABLES_LINES_PER_ENDPOINT * (otherEndpoints + 1))) / 1000;

  it('in large-cluster mode a sync reads the table back at most once per syncPeriod, counted from time 0', () => {
    const large = LARGE_CLUSTER_ENDPOINTS_THRESHOLD * 20;
    const took = durations(large, [10_000_000, 20_000_000, 35_000_000, 40_000_000, 70_000_000]);
    const plain = took[0];
    // 35 s is 30 s after time 0 (SIM: a proxier that has run a while cleaned up then), 70 s 35 s after that.
    expect(took.map((ms) => ms - plain)).toEqual([0, expect.closeTo(0, 6), expect.closeTo(saveMs(large), 6), expect.closeTo(0, 6), expect.closeTo(saveMs(large), 6)]);
  });

  it('at or below largeClusterEndpointsThreshold every sync reads the table back', () => {
    const small = LARGE_CLUSTER_ENDPOINTS_THRESHOLD - 1;
    const took = durations(small, [10_000_000, 11_000_000, 12_000_000]);
    expect(new Set(took).size).toBe(1);
    const noSave = syncCost('iptables', { services: 101, endpoints: small + 1, changedServices: 1, changedServiceEndpoints: 1, full: false, cleanup: false }) / 1000;
    expect(took[0]).toBeCloseTo(noSave + saveMs(small), 6);
  });

  it('before #110334 (largeClusterCleanup false, releases before 1.25) every sync reads the table back, however large', () => {
    const large = LARGE_CLUSTER_ENDPOINTS_THRESHOLD * 20;
    const took = durations(large, [10_000_000, 20_000_000, 35_000_000], false);
    const noSave = syncCost('iptables', { services: 101, endpoints: large + 1, changedServices: 1, changedServiceEndpoints: 1, full: false, cleanup: false }) / 1000;
    for (const ms of took) expect(ms).toBeCloseTo(noSave + saveMs(large), 6);
  });
});
