// Version profiles: `kubernetes: "1.xx"` in a scenario (or `slicesim reconcile --kubernetes`) sets every
// version-dependent scenario key to what that Kubernetes release does by default. The profile is data:
// PROFILE_ROWS below, one row per (version, key) where a release changed a default, each citing the
// upstream source of the change. Code never asks for a version number; it reads the scenario keys.
//
// How the table is read:
//   - The value of a key for version V is the value of its latest row with `since` <= V. Every key has a
//     row at OLDEST (1.16), so every version in OLDEST..NEWEST has a value for every key.
//   - Explicit keys win: the profile fills only keys the scenario file (or a --set) leaves out.
//   - Without `kubernetes:` nothing is filled in: the schema's defaults apply. They are NEWEST's values
//     except for the keys in COMPARISON_DEFAULTS, whose default is the simulator's clean comparison
//     rather than any release (the committed results depend on them).
//   - `services.*.key` rows apply to every service of the scenario.
//
// How to add a switch (a column): add the scenario key, with its default, to schema.ts (the default is
// today's behaviour); add a row at 1.16 with the oldest value and a row at each release that changed
// it, citing the source (feature gate page, PR, or file), and the same rows to the README's table
// ("Kubernetes versions"). test/versions.test.ts checks that every key is a schema key, that every
// version resolves, that NEWEST equals the schema defaults and that the README lists every row.
// How to add a release (a row): raise NEWEST and add rows for the keys it changes.

export const OLDEST = '1.16';
export const NEWEST = '1.35';

export interface ProfileRow {
  /** The first release with this value ("1.22"). */
  since: string;
  /** A scenario key path (`endpointsController.maxEndpoints`; `services.*.x` for every service). */
  key: string;
  value: unknown;
  /** Where upstream says so: a feature gate's stages, a PR, or a source file. */
  source: string;
}

const GATES = 'kubernetes/website:content/en/docs/reference/command-line-tools-reference/feature-gates';
const ALL_TRAFFIC_DISTRIBUTIONS = ['PreferClose', 'PreferSameZone', 'PreferSameNode'];

export const PROFILE_ROWS: readonly ProfileRow[] = [
  // Which endpoint controllers kube-controller-manager runs. The EndpointSlice controller runs when the
  // EndpointSlice gate is on (beta, on by default from 1.18); the Endpoints controller always runs (still
  // in 1.35, deprecated API since 1.33). `model` = only the simulated model's controller.
  { since: '1.16', key: 'controllerManager.endpointControllers', value: 'model', source: `${GATES}/EndpointSlice.md (alpha 1.16, beta off 1.17)` },
  { since: '1.18', key: 'controllerManager.endpointControllers', value: 'both', source: `${GATES}/EndpointSlice.md (beta, default on from 1.18; GA 1.21); kubernetes/kubernetes#130564 and KEP-4974 (Endpoints controller still runs in 1.33+)` },
  // Endpoints over capacity: nothing before 1.21; the `warning` annotation in 1.21; truncation to 1000 from 1.22.
  { since: '1.16', key: 'endpointsController.maxEndpoints', value: 0, source: 'KEP-752 roll-out plan: no limit before 1.21' },
  { since: '1.21', key: 'endpointsController.maxEndpoints', value: 1000, source: 'kubernetes/kubernetes#99975 (over-capacity: warning above 1000 addresses)' },
  { since: '1.16', key: 'endpointsController.overCapacity', value: 'warning', source: 'kubernetes/kubernetes#99975 (1.21)' },
  { since: '1.22', key: 'endpointsController.overCapacity', value: 'truncate', source: 'kubernetes/kubernetes#103520 (truncate to 1000, over-capacity: truncated)' },
  // The Endpoints controller labels its objects endpoints.kubernetes.io/managed-by=endpoint-controller from 1.33.
  { since: '1.16', key: 'endpointsController.managedByLabel', value: false, source: 'kubernetes/kubernetes#130564 (added in 1.33)' },
  { since: '1.33', key: 'endpointsController.managedByLabel', value: true, source: 'kubernetes/kubernetes#130564; kubernetes/website#50505' },
  // EndpointSlice serving/terminating conditions: terminating pods stay in slices once the gate is on (beta 1.22).
  { since: '1.16', key: 'endpointSliceController.terminatingCondition', value: false, source: `${GATES}/EndpointSliceTerminatingCondition.md (alpha, off, 1.20-1.21)` },
  { since: '1.22', key: 'endpointSliceController.terminatingCondition', value: true, source: `${GATES}/EndpointSliceTerminatingCondition.md (beta, on, 1.22; GA 1.26)` },
  // spec.trafficDistribution values the controllers honour (the ServiceTrafficDistribution and PreferSameTrafficDistribution gates).
  { since: '1.16', key: 'endpointSliceController.trafficDistributions', value: [], source: `${GATES}/ServiceTrafficDistribution.md (alpha, off, 1.30)` },
  { since: '1.31', key: 'endpointSliceController.trafficDistributions', value: ['PreferClose'], source: `${GATES}/ServiceTrafficDistribution.md (beta, on, 1.31; GA 1.33)` },
  { since: '1.34', key: 'endpointSliceController.trafficDistributions', value: ALL_TRAFFIC_DISTRIBUTIONS, source: `${GATES}/PreferSameTrafficDistribution.md (beta, on, 1.34; GA 1.35)` },
  // Topology-aware hints: the topology cache in the EndpointSlice controller and hints in kube-proxy (TopologyAwareHints gate).
  { since: '1.16', key: 'endpointSliceController.topologyAwareHints', value: false, source: `${GATES}/TopologyAwareHints.md (alpha, off, 1.21-1.22; beta, off, 1.23)` },
  { since: '1.24', key: 'endpointSliceController.topologyAwareHints', value: true, source: `${GATES}/TopologyAwareHints.md (beta, on, 1.24; GA 1.33)` },
  // Service topology (spec.topologyKeys) exists in the API and kube-proxy from 1.17 to 1.21 (ServiceTopology gate, alpha).
  { since: '1.16', key: 'kubeProxy.serviceTopology', value: false, source: `${GATES}/ServiceTopology.md (added 1.17)` },
  { since: '1.17', key: 'kubeProxy.serviceTopology', value: true, source: `${GATES}/ServiceTopology.md (alpha 1.17-1.21; SIM: taken as turned on by whoever sets topologyKeys)` },
  { since: '1.22', key: 'kubeProxy.serviceTopology', value: false, source: `${GATES}/ServiceTopology.md (removed in 1.22)` },
  // kube-proxy's runner: the token bucket of pkg/util/async (burst 2) until the rewrite into pkg/proxy/runner (no burst, minSyncPeriod from a sync's end).
  { since: '1.16', key: 'kubeProxy.runner', value: 'tokenBucket', source: 'kubernetes/kubernetes pkg/util/async/bounded_frequency_runner.go (burstSyncs = 2 in every proxier)' },
  { since: '1.34', key: 'kubeProxy.runner', value: 'bounded', source: 'kubernetes/kubernetes#131615 (pkg/proxy/runner/bounded_frequency_runner.go, merged May 2025)' },
  // iptables partial syncs (MinimizeIPTablesRestore).
  { since: '1.16', key: 'kubeProxy.minimizeIPTablesRestore', value: false, source: 'KEP-3453 kep.yaml (alpha 1.26, off)' },
  { since: '1.27', key: 'kubeProxy.minimizeIPTablesRestore', value: true, source: 'KEP-3453 kep.yaml (beta, on, 1.27; GA 1.28)' },
  // A full resync every proxyutil.FullSyncPeriod (an hour).
  { since: '1.16', key: 'kubeProxy.periodicFullSync', value: false, source: 'kubernetes/kubernetes#129128 (no periodic full resync before)' },
  { since: '1.33', key: 'kubeProxy.periodicFullSync', value: true, source: 'kubernetes/kubernetes#129329 (full sync every FullSyncPeriod, 1.33)' },
  // iptables stale-chain cleanup (iptables-save) at most once per syncPeriod in large-cluster mode.
  { since: '1.16', key: 'kubeProxy.largeClusterCleanup', value: false, source: 'kubernetes/kubernetes#110334 (before it, iptables-save on every sync)' },
  { since: '1.25', key: 'kubeProxy.largeClusterCleanup', value: true, source: 'kubernetes/kubernetes#110334 (merged June 2022, 1.25)' },
  // Re-lists: client-go's WatchListClient streams the initial list as watch events.
  { since: '1.16', key: 'apiserver.watchList', value: false, source: 'KEP-3157 (WatchList alpha 1.27)' },
  { since: '1.35', key: 'apiserver.watchList', value: true, source: 'KEP-3157; kubernetes/client-go features (WatchListClient beta, on by default, 1.35)' },
  // LIST responses over 128 KiB are gzipped for clients that accept it (client-go does).
  { since: '1.16', key: 'apiserver.listCompression', value: true, source: `${GATES}/APIResponseCompression.md (beta, on, 1.16)` },
  // APF seats for writes by watcher count (mutating work estimator); the controllers' level is workload-high (98 of 600 seats).
  { since: '1.16', key: 'apiserver.apfSeats', value: 0, source: `${GATES}/APIPriorityAndFairness.md (alpha, off, 1.18-1.19)` },
  { since: '1.22', key: 'apiserver.apfSeats', value: 98, source: 'kubernetes/apiserver@c18ab3e1b (mutating work estimator by watch count, July 2021); pkg/apis/flowcontrol/bootstrap/default.go (workload-high: 40 of 245 shares of 600)' },
];

/**
 * Keys whose schema default is not NEWEST's value, with the reason. endpointControllers: by default
 * each model runs only its own controller, the comparison of the blog and KEP-752 (a real cluster runs
 * both and pays for both). kubeProxy.serviceTopology: on without a profile, so a scenario that sets
 * topologyKeys is routed by them (the newest releases have no topologyKeys at all).
 * apiserver.listCompression: off without a profile, so re-list bytes are the encoded objects' bytes
 * (with a profile, LISTs are gzipped as every release since 1.16 does).
 */
export const COMPARISON_DEFAULTS: ReadonlySet<string> = new Set(['controllerManager.endpointControllers', 'kubeProxy.serviceTopology', 'apiserver.listCompression']);

/** Releases the profile knows, oldest first ("1.16" … "1.35"). */
export const VERSIONS: readonly string[] = Array.from({ length: Number(NEWEST.split('.')[1]) - Number(OLDEST.split('.')[1]) + 1 }, (_, i) => `1.${Number(OLDEST.split('.')[1]) + i}`);

const minor = (v: string) => Number(v.split('.')[1]);

/**
 * The version a scenario value names, or undefined if it names none the profile knows. A string is
 * taken as written ("1.22", "v1.22", "1.22.3"); a YAML number as the version it spells: 1.2 -> "1.20",
 * 1.3 -> "1.30", 1.16 -> "1.16".
 */
export function parseVersion(raw: unknown): string | undefined {
  let text: string;
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return undefined;
    text = String(raw);
    if (/^1\.\d$/.test(text)) text += '0';
  } else if (typeof raw === 'string') text = raw.trim().replace(/^v/, '');
  else return undefined;
  const m = /^1\.(\d{1,2})(\.\d+)?$/.exec(text);
  if (!m) return undefined;
  const v = `1.${Number(m[1])}`;
  return VERSIONS.includes(v) ? v : undefined;
}

export const VERSION_HELP = `a Kubernetes release ${OLDEST} .. ${NEWEST}, e.g. "1.33"`;

/** Every profile key with its value for `version` (a value from parseVersion). */
export function profileFor(version: string): Map<string, unknown> {
  const values = new Map<string, unknown>();
  const rows = [...PROFILE_ROWS].sort((a, b) => minor(a.since) - minor(b.since));
  for (const row of rows) if (minor(row.since) <= minor(version)) values.set(row.key, row.value);
  return values;
}

type Doc = Record<string, unknown>;
const isDoc = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Sets `path` in `doc` to `value` unless something is already there (creating missing mappings). */
function fillIn(doc: Doc, path: readonly string[], value: unknown): void {
  const [head, ...rest] = path;
  if (head === '*') return; // handled by the caller
  if (rest.length === 0) {
    if (doc[head] === undefined) doc[head] = structuredClone(value);
    return;
  }
  if (rest[0] === '*') {
    const list = doc[head];
    if (Array.isArray(list)) for (const item of list) if (isDoc(item)) fillIn(item, rest.slice(1), value);
    return;
  }
  if (doc[head] === undefined) doc[head] = {};
  const next = doc[head];
  if (isDoc(next)) fillIn(next, rest, value); // anything else is left for the schema to report
}

/**
 * Applies the `kubernetes:` profile to a raw scenario document (after --set, before validation): the
 * version is normalised to its "1.xx" text, and every profile key the document leaves out is filled
 * in. Returns a problem text (for the caller to report with the file) when the version is not one the
 * profile knows; does nothing when the document has no `kubernetes` key.
 */
export function applyVersionProfile(doc: Doc): string | undefined {
  const raw = doc.kubernetes;
  if (raw === undefined) return undefined;
  const version = parseVersion(raw);
  if (!version) return `kubernetes: got ${JSON.stringify(raw)}; expected ${VERSION_HELP}`;
  doc.kubernetes = version;
  for (const [key, value] of profileFor(version)) fillIn(doc, key.split('.'), value);
  return undefined;
}
