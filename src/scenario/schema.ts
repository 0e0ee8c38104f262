// The scenario file format: one zod schema that is both the TypeScript type and the only place
// defaults live (SPEC.md, "Scenario files"). Unknown keys are errors; units are strings.
import { z } from 'zod';
import { BANDWIDTH_HELP, DURATION_HELP, SIZE_HELP, parseBandwidth, parseDuration, parseSize } from './units.js';

/** The longest duration a scenario may give (a simulated year): longer ones only exhaust memory with samples. */
export const MAX_DURATION_HOURS = 8760;
const Duration = z
  .string({ error: `expected ${DURATION_HELP}` })
  .refine((s) => parseDuration(s) !== undefined, { error: `expected ${DURATION_HELP}` })
  .refine((s) => (parseDuration(s) ?? 0) <= MAX_DURATION_HOURS * 3600e6, { error: `expected at most ${MAX_DURATION_HOURS}h (a year of simulated time)`, abort: true });
const Size = z.union([z.string(), z.number()], { error: `expected ${SIZE_HELP}` }).refine((s) => parseSize(s) !== undefined, {
  error: `expected ${SIZE_HELP}`,
});
const Bandwidth = z.union([z.string(), z.number()], { error: `expected ${BANDWIDTH_HELP}` }).refine(
  (s) => parseBandwidth(s) !== undefined,
  { error: `expected ${BANDWIDTH_HELP}` },
);
const Count = (what: string) => z.int({ error: `expected ${what} as a whole number ≥ 0` }).min(0, { error: `expected ${what} ≥ 0` });
const Positive = (what: string) => z.int({ error: `expected ${what} as a whole number ≥ 1` }).min(1, { error: `expected ${what} ≥ 1` });
const DnsLabel = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, {
  error: 'expected a DNS label: lowercase letters, digits and -, starting and ending with a letter or digit, at most 63 characters',
});
/** An integer or a percentage, as Deployment's maxSurge and maxUnavailable. */
const INT_OR_PERCENT = 'expected a whole number ≥ 0 or a percentage like 25%';
const IntOrPercent = z.union([z.int().min(0, { error: INT_OR_PERCENT }), z.string().regex(/^\d+%$/, { error: INT_OR_PERCENT })], {
  error: INT_OR_PERCENT,
});

/** A delay: a duration, or a distribution written as data. */
export const Delay = z.union(
  [
    Duration,
    z.strictObject({ dist: z.literal('fixed'), value: Duration }),
    z.strictObject({ dist: z.literal('uniform'), min: Duration, max: Duration }),
    z.strictObject({ dist: z.literal('exponential'), mean: Duration }),
    z.strictObject({ dist: z.literal('lognormal'), median: Duration, p99: Duration }),
  ],
  {
    error:
      'expected a duration (e.g. 5s) or a distribution: {dist: fixed, value}, {dist: uniform, min, max}, {dist: exponential, mean} or {dist: lognormal, median, p99}',
  },
);
export type Delay = z.infer<typeof Delay>;

const ServicePort = z.strictObject({
  name: z.string().default(''),
  protocol: z.enum(['TCP', 'UDP', 'SCTP']).default('TCP'),
  port: z.int().min(1).max(65535),
  targetPort: z.union([z.int().min(1).max(65535), z.string().min(1)]).optional(),
  appProtocol: z.string().optional(),
});

const ContainerPort = z.strictObject({
  name: z.string(),
  containerPort: z.int().min(1).max(65535),
  protocol: z.enum(['TCP', 'UDP', 'SCTP']).default('TCP'),
});

const PodTemplate = z.strictObject({
  startupDelay: Delay.default('2s'),
  readinessDelay: Delay.default('5s'),
  terminationGracePeriod: Delay.default('30s'),
  shutdownDelay: Delay.default('5s'),
  containerPorts: z.array(ContainerPort).default([]),
});

/** Client load on a Service, for the traffic columns (SPEC "New scenario keys"). */
const Traffic = z.strictObject({
  requestsPerSecond: z.number({ error: 'expected requests per second as a number > 0' }).positive({ error: 'expected requests per second > 0' }),
  // nodes: every node sends alike; cpu: by allocatable CPU; a map: each zone's share, spread evenly over its nodes.
  from: z
    .union([z.enum(['nodes', 'cpu']), z.record(z.string(), z.number().min(0, { error: 'expected a share ≥ 0' }))], {
      error: 'expected nodes, cpu, or a map of zone -> share',
    })
    .default('nodes'),
});

/** Topology routing of one Service (SPEC "New scenario keys"); see src/controllers/endpointslice/topologycache. */
const TOPOLOGY_KEYS = 'expected a list of topology keys: kubernetes.io/hostname, topology.kubernetes.io/zone, topology.kubernetes.io/region or * (last only)';
const ServiceTopology = {
  // service.spec.trafficDistribution; the API server refuses other values (a List given to
  // `reconcile` may still hold one: the controller then strips hints, as upstream does).
  trafficDistribution: z.enum(['PreferClose', 'PreferSameZone', 'PreferSameNode']).optional(),
  // The service.kubernetes.io/topology-mode annotation: Auto (or auto) turns topology-aware hints on.
  topologyMode: z.string().optional(),
  topologyKeys: z
    .array(z.enum(['kubernetes.io/hostname', 'topology.kubernetes.io/zone', 'topology.kubernetes.io/region', '*'], { error: TOPOLOGY_KEYS }), { error: TOPOLOGY_KEYS })
    .max(16, { error: 'expected at most 16 topology keys' })
    .refine((k) => k.indexOf('*') === -1 || k.indexOf('*') === k.length - 1, { error: '"*" may only be the last topology key' })
    .optional(),
  internalTrafficPolicy: z.enum(['Cluster', 'Local']).default('Cluster'),
  traffic: Traffic.optional(),
  // Pods run only on nodes of these zones (a node affinity on topology.kubernetes.io/zone); absent: any node.
  zones: z.array(z.string().min(1)).min(1, { error: 'expected at least one zone' }).optional(),
};

const ServiceSpec = z.strictObject({
  name: DnsLabel,
  namespace: DnsLabel.default('default'),
  replicas: Count('replicas').default(1),
  labels: z.record(z.string(), z.string()).default({}),
  ports: z.array(ServicePort).default([{ name: 'http', protocol: 'TCP', port: 80 }]),
  ipFamilies: z
    .union([z.tuple([z.enum(['IPv4', 'IPv6'])]), z.tuple([z.literal('IPv4'), z.literal('IPv6')]), z.tuple([z.literal('IPv6'), z.literal('IPv4')])], {
      error: 'expected [IPv4], [IPv6], [IPv4, IPv6] or [IPv6, IPv4]',
    })
    .default(['IPv4']),
  addressType: z.enum(['IP', 'FQDN']).default('IP'),
  publishNotReadyAddresses: z.boolean().default(false),
  headless: z.boolean().default(false),
  // false: a selector-less Service; the controllers write nothing for it (endpoints come from elsewhere).
  selector: z.boolean().default(true),
  ...ServiceTopology,
  pod: PodTemplate.default(PodTemplate.parse({})),
});

const step = <A extends string, S extends z.ZodRawShape>(action: A, shape: S) =>
  z.strictObject({ name: DnsLabel, at: Duration, action: z.literal(action), ...shape });

const WorkloadStep = z.discriminatedUnion(
  'action',
  [
    step('replace', { service: z.string(), count: Positive('count'), interval: Duration.default('1s') }),
    step('rollingUpdate', { service: z.string(), maxSurge: IntOrPercent.default('25%'), maxUnavailable: IntOrPercent.default('25%') }),
    step('scale', { service: z.string(), replicas: Count('replicas') }),
    step('deletePods', { service: z.string(), count: Positive('count') }),
    step('churn', { service: z.string(), rate: z.number().positive(), duration: Duration }),
    step('nodeFailure', { nodes: Positive('nodes').optional(), zone: z.string().optional() }),
    step('apiserverRestart', { instance: Count('instance').default(0) }),
    step('watcherStall', { nodes: Positive('nodes'), duration: Duration }),
    step('etcdCompaction', {}),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union' && issue.input && typeof issue.input === 'object' && 'action' in issue.input
        ? `unknown action ${JSON.stringify((issue.input as { action: unknown }).action)}; allowed: ${ACTIONS.join(', ')}`
        : `expected a step with name, at and action (one of ${ACTIONS.join(', ')})`,
  },
);
export const ACTIONS = ['replace', 'rollingUpdate', 'scale', 'deletePods', 'churn', 'nodeFailure', 'apiserverRestart', 'watcherStall', 'etcdCompaction'];
export type WorkloadStep = z.infer<typeof WorkloadStep>;

const section = <S extends z.ZodRawShape>(shape: S) => {
  const schema = z.strictObject(shape);
  return schema.default(schema.parse({}) as never);
};

export const Scenario = z.strictObject({
  name: DnsLabel,
  description: z.string().default(''),
  seed: z.int().default(1),
  models: z
    .array(z.enum(['endpoints', 'endpointslices']))
    .min(1)
    .refine((m) => new Set(m).size === m.length, { error: 'expected each model at most once' })
    .default(['endpoints', 'endpointslices']),
  until: Duration.optional(),
  // A version profile "1.16".."1.35" (src/scenario/versions.ts): fills in the release-dependent keys.
  kubernetes: z.string().optional(),
  cluster: z.strictObject({
    nodes: Positive('nodes'),
    zones: z.array(z.string().min(1)).default(['zone-a', 'zone-b', 'zone-c']),
    // kube-controller-manager --node-cidr-mask-size (IPv4): each node's pod CIDR, so 2^(32-n) - 2 pod addresses.
    podCIDRMaskSize: z.int({ error: 'expected a mask size 10..30' }).min(10, { error: 'expected a mask size 10..30' }).max(30, { error: 'expected a mask size 10..30' }).default(24),
    // kubelet --max-pods: the most pods a node runs.
    maxPodsPerNode: Positive('maxPodsPerNode').default(110),
    // Allocatable cores per node, or per zone (every node of a zone alike): topology hints split
    // endpoints by each zone's share of CPU.
    nodeCPU: z
      .union([z.number().positive({ error: 'expected cores > 0' }), z.record(z.string(), z.number().positive({ error: 'expected cores > 0' }))], {
        error: 'expected allocatable cores per node (a number > 0) or a map of zone -> cores',
      })
      .default(8),
    // Nodes labelled node-role.kubernetes.io/control-plane (counted in nodes, excluded from topology
    // capacity as upstream excludes them; they run kube-proxy like any node). The first ones of each zone.
    controlPlaneNodes: Count('controlPlaneNodes').default(0),
  }),
  encoding: z.enum(['protobuf', 'json', 'fixed']).default('protobuf'),
  fixedSizes: section({ bytesPerEndpoint: Count('bytesPerEndpoint').default(300), bytesPerObject: Count('bytesPerObject').default(0) }),
  etcd: section({
    maxRequestBytes: Size.default(1572864),
    quotaBackendBytes: Size.default('2GiB'),
    compactionInterval: Duration.default('5m'),
    members: Positive('members').default(3),
  }),
  endpointsController: section({
    maxEndpoints: Count('maxEndpoints').default(1000),
    batchPeriod: Duration.default('0s'),
    // Above maxEndpoints: truncate (1.22+, annotation over-capacity: truncated) or only annotate (1.21, warning).
    overCapacity: z.enum(['truncate', 'warning']).default('truncate'),
    // endpoints.kubernetes.io/managed-by=endpoint-controller on every Endpoints object (1.33+).
    managedByLabel: z.boolean().default(true),
  }),
  endpointSliceController: section({
    maxEndpointsPerSlice: z.int().min(1, { error: 'expected 1..1000' }).max(1000, { error: 'expected 1..1000' }).default(100),
    batchPeriod: Duration.default('0s'),
    // serving/terminating conditions, terminating pods kept in slices (EndpointSliceTerminatingCondition, 1.22+).
    terminatingCondition: z.boolean().default(true),
    // spec.trafficDistribution values the controller honours (feature gates; [] before 1.31).
    trafficDistributions: z
      .array(z.enum(['PreferClose', 'PreferSameZone', 'PreferSameNode']))
      .refine((m) => new Set(m).size === m.length, { error: 'expected each value at most once' })
      .default(['PreferClose', 'PreferSameZone', 'PreferSameNode']),
    // The topology cache runs, so the topology-mode annotation (Auto) sets hints, and kube-proxy reads
    // zone hints (the TopologyAwareHints gate: beta and on by default from 1.24).
    topologyAwareHints: z.boolean().default(true),
  }),
  controllerManager: section({
    // model: only the simulated model's controller writes (the blog's and KEP-752's comparison); both: the
    // Endpoints and EndpointSlice controllers both write, as in a real cluster from 1.18 on, and the model
    // decides only what kube-proxy watches.
    endpointControllers: z.enum(['model', 'both']).default('model'),
    qps: z.number().positive().default(20),
    burst: Positive('burst').default(30),
    // What one sync of a service costs the controller before its first write: a fixed part and a part
    // per pod of the service (listing, podToEndpoint, comparing). 0 by default: syncs are instant.
    syncCost: section({ base: Duration.default('0s'), perEndpoint: Duration.default('0s') }),
    // How long after a write the controllers' informers show it (their watch of the API server). A sync
    // that starts before its own last write shows is stale: it fails and is retried through the rate
    // limiter (EndpointSliceTracker.StaleSlices, staleEndpointsTracker). 0: at once, never stale.
    informerDelay: Duration.default('0s'),
  }),
  apiserver: section({
    instances: Positive('instances').default(1),
    egressBandwidth: Bandwidth.default(0),
    // Events a watcher can hold before the cacher blocks on it; absent: as the cacher sizes it
    // (suggestedWatchChannelSize, 10..100, for its input and result channels).
    watchBufferEvents: Positive('watchBufferEvents').optional(),
    // Re-lists as a WatchList stream (client-go WatchListClient, KEP-3157) instead of a LIST.
    watchList: z.boolean().default(true),
    // gzip on LIST responses over 128 KiB (APIResponseCompression); WatchList streams are not compressed
    // before 1.37 (WatchListCompression). Off by default: re-list bytes as encoded.
    listCompression: z.boolean().default(false),
    // API Priority and Fairness: seats of the controllers' priority level (workload-high: 98 of the
    // default 600); 0 = no APF (a write's watch fan-out then holds no seats).
    apfSeats: Count('apfSeats').default(98),
  }),
  kubeProxy: section({
    mode: z.enum(['iptables', 'nftables', 'ipvs']).default('iptables'),
    // bounded: pkg/proxy/runner (no burst, minSyncPeriod from a sync's end); tokenBucket: the older
    // pkg/util/async runner (burst 2).
    runner: z.enum(['bounded', 'tokenBucket']).default('bounded'),
    minSyncPeriod: Duration.default('1s'),
    // The runner's retry interval (and ipvs' periodic sync).
    syncPeriod: Duration.default('30s'),
    // A sync an hour (proxyutil.FullSyncPeriod) after the last full one rewrites everything.
    periodicFullSync: z.boolean().default(true),
    // iptables: above 1,000 endpoints (large-cluster mode) stale chains are looked for (iptables-save) at
    // most once per syncPeriod, not on every sync (kubernetes/kubernetes#110334, 1.25).
    largeClusterCleanup: z.boolean().default(true),
    // iptables mode rewrites only changed Services' chains (KEP-3453, GA 1.28).
    minimizeIPTablesRestore: z.boolean().default(true),
    // Services and endpoints every node programs besides the scenario's (the rest of the cluster):
    // they make syncs longer and generate no events.
    otherServices: Count('otherServices').default(0),
    otherEndpoints: Count('otherEndpoints').default(0),
    // The share of a core of its own a sync gets on the node (sync-cost.ts costs syncs on machines that
    // gave it one): 0.5 on a shared-core GCE e2-medium (two vCPUs at half a core each).
    cpuShare: z.number({ error: 'expected a number > 0' }).positive({ error: 'expected a number > 0' }).default(1),
    // Optional fixed cost model replacing the per-mode one: base + perEndpoint x the endpoints rewritten.
    syncCost: z.strictObject({ base: Duration.default('10ms'), perEndpoint: Duration.default('10us') }).optional(),
    // Service topology: kube-proxy routes by services' topologyKeys (the ServiceTopology gate, alpha
    // 1.17-1.21; the field is gone from 1.22). SIM: on by default (see versions.ts COMPARISON_DEFAULTS).
    serviceTopology: z.boolean().default(true),
  }),
  sampleEvery: Duration.default('1s'),
  services: z.array(ServiceSpec).min(1, { error: 'expected at least one service' }),
  workload: z.array(WorkloadStep).default([]),
});

export type Scenario = z.infer<typeof Scenario>;
export type ServiceSpec = z.infer<typeof ServiceSpec>;
export type Model = Scenario['models'][number];
