// One model's run of a scenario: builds the cluster, API server, controller and node agents from the
// scenario, replays the workload, and collects metrics and time-series samples.
import { Simulator } from './engine/simulator.js';
import { stream } from './engine/rng.js';
import { micros, type Micros } from './engine/time.js';
import { SizeModel } from './model/sizes.js';
import { ApiServer } from './apiserver/store.js';
import { WatchHub, type WatchBooks } from './apiserver/watch.js';
import { EtcdStore } from './apiserver/etcd.js';
import { TokenBucket } from './client/rate-limiter.js';
import { EndpointsController } from './controllers/endpoints/controller.js';
import { EndpointSliceController } from './controllers/endpointslice/controller.js';
import type { ServiceController } from './controllers/runtime.js';
import { KubeProxyFleet, type ProxyConfig } from './agents/kube-proxy.js';
import { EgressLink } from './apiserver/egress.js';
import { LatencyRecorder } from './report/latency.js';
import { Trace, type TraceRow } from './report/trace.js';
import { PodStore } from './workload/pod-store.js';
import { buildNodes, buildService, PodFactory } from './workload/cluster.js';
import { Workload } from './workload/workload.js';
import { LimitError, MAX_SAMPLES } from './scenario/limits.js';
import { Metrics, type PhaseCounters } from './report/metrics.js';
import { hasTraffic, TrafficModel, type TrafficReport } from './agents/traffic-model.js';
import { TopologyCache } from './controllers/endpointslice/topologycache/cache.js';
import type { Model } from './scenario/schema.js';
import type { ResolvedScenario } from './scenario/resolve.js';

export interface Sample {
  time: Micros;
  phase: string;
  counters: PhaseCounters;
  objects: number;
  endpoints: number;
  etcdDb: number;
  /**
   * API server egress: bytes handed to the links so far (never decreasing: bytes later dropped with a
   * closed watcher's queue stay counted), bytes still queued, events not yet received by every watcher.
   */
  egressSent: number;
  egressInFlight: number;
  eventsInFlight: number;
  /** Nodes whose rules reflect every change sent so far. */
  nodesUpToDate: number;
}

export interface ModelRun {
  model: Model;
  metrics: Metrics;
  samples: Sample[];
  eventsRun: number;
  endTime: Micros;
  latency: LatencyRecorder;
  /** trace.csv rows, when asked for. */
  trace?: TraceRow[];
  /**
   * The API server egress books at the end: sent = delivered + in flight; dropped (queued for closed
   * watchers, never sent) is apart; with watcher and APF counts.
   */
  egress: WatchBooks & { apfWaitMicros: number; proxySyncs: number; proxyFullSyncs: number };
  /** Client traffic by topology, when some service has `traffic`. */
  traffic?: TrafficReport;
}

export interface SimulateOptions {
  /** Record trace.csv rows (pod transitions and endpoint-object writes). */
  trace?: boolean;
}

/**
 * SIM: what a watch connection holds beyond the cacher's channels: Linux's default socket buffers,
 * tcp_rmem 131072 B (receiving kube-proxy) + tcp_wmem 16384 B (sending API server)
 * (Documentation/networking/ip-sysctl.rst); autotuning, which can grow them, is not modelled.
 */
export const TCP_BUFFER_BYTES = 131_072 + 16_384;

/** gzip's compressed size over plain size for re-lists of endpoint objects: see test/relist-compression.test.ts, which measures it on real encodings. */
export const RELIST_GZIP_RATIO = 0.14;

/** `progress`, when given, is told the simulated time and phase at every sample (for a progress bar; it must not touch the simulation). */
export function simulateModel(scenario: ResolvedScenario, model: Model, seed = scenario.seed, progress?: (now: Micros, phase: string) => void, options: SimulateOptions = {}): ModelRun {
  const sim = new Simulator();
  const trace = options.trace ? new Trace(() => sim.now) : undefined;
  const metrics = new Metrics();
  const sizes = new SizeModel(scenario.encoding, scenario.fixedSizes);
  const etcd = new EtcdStore(scenario.etcd.maxRequestBytes, scenario.etcd.quotaBackendBytes, scenario.etcd.members);
  // Each API server instance sends its watchers' events through its own egress link (bits/s in the scenario).
  const links = Array.from({ length: scenario.apiserver.instances }, () => new EgressLink(scenario.apiserver.egressBandwidth));
  const as = scenario.apiserver;
  const watch = new WatchHub(sim, metrics, links, {
    watchList: as.watchList,
    // SIM: WatchListCompression (1.37) is newer than the profiles: WatchList streams are sent as encoded.
    relistCompression: !as.watchList && as.listCompression ? RELIST_GZIP_RATIO : 1,
    buffersPerWatcher: 2,
    bufferEvents: as.watchBufferEvents,
    // The watch's TCP connection holds bytes too: the client's receive buffer and the server's send buffer.
    socketBufferBytes: as.watchBufferEvents === undefined ? TCP_BUFFER_BYTES : 0,
    cohortsPerInstance: 64,
  });
  // The model says which kind kube-proxy watches (and which kind the object columns describe).
  const kind = model === 'endpoints' ? 'Endpoints' : 'EndpointSlice';
  const api = new ApiServer(sim, stream(seed, 'apiserver'), sizes, etcd, watch, metrics, scenario.apiserver.instances, kind, trace, { seats: as.apfSeats, watchers: scenario.cluster.nodes });
  // The API server compacts etcd every compactionInterval, to the revision it saw one interval before.
  const compactionInterval = scenario.etcd.compactionInterval;
  if (compactionInterval > 0) {
    let previous = 0;
    const compact = () => {
      etcd.compact(previous);
      previous = etcd.revision;
      sim.scheduleBackground(compactionInterval, compact);
    };
    sim.scheduleBackground(compactionInterval, compact);
  }
  const latency = new LatencyRecorder();
  const kp = scenario.kubeProxy;
  const proxyConfig: ProxyConfig = {
    mode: kp.mode,
    runner: kp.runner,
    minSyncPeriod: kp.minSyncPeriod,
    syncPeriod: kp.syncPeriod,
    periodicFullSync: kp.periodicFullSync,
    largeClusterCleanup: kp.largeClusterCleanup,
    minimizeIPTablesRestore: kp.minimizeIPTablesRestore,
    otherServices: kp.otherServices,
    otherEndpoints: kp.otherEndpoints,
    cpuShare: kp.cpuShare,
    fixedCost: kp.syncCost,
  };
  const fleet = new KubeProxyFleet(scenario.cluster.nodes, kind, proxyConfig, latency);
  watch.addClient(fleet);

  const nodes = buildNodes(scenario);
  const serviceRng = stream(seed, 'services');
  const services = scenario.services.map((s) => buildService(s, serviceRng));
  const pods = new PodStore(services.length);
  if (trace) pods.subscribe((pod, old, deleted) => trace.pod(pod, old, deleted));
  const factory = new PodFactory(stream(seed, 'pods'), nodes, services, scenario.services, scenario.cluster.podCIDRMaskSize, scenario.cluster.maxPodsPerNode);
  // Each controller of kube-controller-manager has its own client, so its own QPS/burst token bucket.
  const ctx = () => ({
    sim,
    api,
    pods,
    services,
    nodes: new Map(nodes.map((n) => [n.name, n])),
    client: new TokenBucket(sim, scenario.controllerManager.qps, scenario.controllerManager.burst),
    syncCost: scenario.controllerManager.syncCost,
    informerDelay: scenario.controllerManager.informerDelay,
  });
  // Topology: the traffic model reads what kube-proxy reads; the controller's topology cache sets hints.
  const traffic = hasTraffic(scenario) ? new TrafficModel(scenario, nodes, services, kind) : undefined;
  if (traffic) {
    watch.observe((e) => traffic.sliceEvent(sim.now, e.object, e.type === 'DELETED'));
    pods.subscribe((pod, _old, deleted) => traffic.podEvent(sim.now, pod, deleted));
  }
  const esc = scenario.endpointSliceController;
  const sliceTopology = { hints: { cache: esc.topologyAwareHints ? new TopologyCache() : undefined, trafficDistributions: esc.trafficDistributions }, hintWrite: () => traffic?.hintWrite() };
  const newEndpointsController = () => new EndpointsController(ctx(), sizes, scenario.endpointsController, scenario.endpointsController.batchPeriod);
  const newSliceController = () => new EndpointSliceController(ctx(), sizes, esc, esc.batchPeriod, sliceTopology);
  // The model's own controller first; with endpointControllers: both, the other one writes too (etcd and
  // the API server carry its writes; kube-proxy does not watch them).
  const sliceController = model === 'endpoints' && scenario.controllerManager.endpointControllers !== 'both' ? undefined : newSliceController();
  const controllers: ServiceController[] = model === 'endpoints' ? [newEndpointsController(), ...(sliceController ? [sliceController] : [])] : [sliceController!];
  if (model !== 'endpoints' && scenario.controllerManager.endpointControllers === 'both') controllers.push(newEndpointsController());

  const workload = new Workload(sim, { delays: stream(seed, 'pod-delays'), victims: stream(seed, 'victims'), churn: stream(seed, 'churn') }, scenario, pods, factory, nodes, () => metrics.podReplaced(), {
    apiserverRestart: (instance) => watch.restartInstance(instance, sim.now),
    watcherStall: (nodes, length) => watch.stall(nodes, sim.now, sim.now + length),
    etcdCompaction: () => {
      etcd.compact(etcd.revision);
      etcd.defrag();
      metrics.etcdState(etcd.dbSize, etcd.raftBytes);
    },
  });
  workload.createInitialPods();
  for (const c of controllers) services.forEach((_, i) => c.addService(i));

  for (const step of scenario.workload) {
    sim.scheduleAt(step.at, () => {
      traffic?.startPhase(sim.now);
      metrics.startPhase(step.name);
      latency.phaseStarts.push(sim.now);
      workload.run(step);
      if (step.action === 'nodeFailure') {
        sliceController?.nodesChanged();
        traffic?.nodesChanged(sim.now);
      }
    });
  }

  const samples: Sample[] = [];
  const sampleEvery = scenario.sampleEvery;
  const sample = (now: Micros = sim.now) => {
    watch.flushAll(now);
    samples.push({ time: now, phase: metrics.phases[metrics.phases.length - 1], counters: { ...metrics.total }, objects: metrics.objects, endpoints: metrics.endpoints, etcdDb: etcd.dbSize,
      egressSent: links.reduce((n, l) => n + l.bytesHanded, 0),
      egressInFlight: watch.inFlightBytes(),
      eventsInFlight: watch.eventsInFlight(now),
      // Up to date: the model's controller has stored every change it wants, and the node has applied it.
      nodesUpToDate: controllers[0].upToDate ? watch.nodesUpToDate(now) : 0,
    });
    traffic?.sample(sim.now, metrics.phases[metrics.phases.length - 1]);
  };
  const tick = () => {
    // The limits check estimates the run's length; this holds the line if the estimate was short.
    if (samples.length >= MAX_SAMPLES) throw new LimitError(`sampleEvery: the run passed ${MAX_SAMPLES.toLocaleString('en-US')} samples at ${sim.now / 1e6} s of simulated time; raise sampleEvery or set until`);
    sample();
    progress?.(sim.now, metrics.phases[metrics.phases.length - 1]);
    if (sim.pending > 0) sim.schedule(sampleEvery, tick);
  };
  sim.schedule(sampleEvery, tick);

  const until = scenario.until ?? Infinity;
  sim.run(until);
  // The last row holds the state after everything of the final instant (a tick at that instant may
  // have run before the instant's writes: with `until`, or a tick sharing the last event's time), and
  // before the end-of-run bookkeeping below.
  if (samples.length > 0 && samples[samples.length - 1].time === sim.now) {
    samples.pop();
    const zoneRows = traffic?.report.samples;
    while (zoneRows?.length && zoneRows[zoneRows.length - 1].time === sim.now) zoneRows.pop();
  }
  watch.finish(sim.now);
  latency.end = until === Infinity ? Math.max(sim.now, watch.settledAt()) : sim.now;
  // Without a stop time the run ends when the last node has applied the last change (syncs are not
  // simulation events); the last row is taken then, before the end-of-run bookkeeping below.
  sample(until === Infinity ? micros(Math.max(sim.now, Math.ceil(watch.settledAt()))) : sim.now);
  traffic?.finish(sim.now);
  const egress = { ...watch.books, apfWaitMicros: api.apf.waited, proxySyncs: fleet.syncCount(), proxyFullSyncs: fleet.syncCount(true) };
  metrics.finish();

  return { model, metrics, samples, eventsRun: sim.eventsRun, endTime: sim.now, latency, egress, ...(traffic ? { traffic: traffic.report } : {}), ...(trace ? { trace: trace.rows } : {}) };
}
