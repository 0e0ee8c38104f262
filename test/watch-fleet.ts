// A kube-proxy fleet behind the watch path, driven event by event (for runner and latency tests).
import { EgressLink } from '../src/apiserver/egress.js';
import { KubeProxyFleet, type ProxyMode, type ProxyRunner } from '../src/agents/kube-proxy.js';
import { Simulator } from '../src/engine/simulator.js';
import { WatchHub, type WatchEvent } from '../src/apiserver/watch.js';
import { LatencyRecorder } from '../src/report/latency.js';

export const event = (triggerTime: number | undefined, bytes = 1000, endpoints = 10, name = 'a', type = 'MODIFIED'): WatchEvent =>
  ({ type, bytes, triggerTime, object: { kind: 'EndpointSlice', namespace: 'ns', name, labels: {}, sizes: { endpoints, watchObjectBytes: bytes - 20 } } }) as unknown as WatchEvent;

/**
 * The watch path with kube-proxy on `nodes` nodes, driven event by event: `deliver(event, t, phase)`
 * dispatches at t. Syncs cost 10 ms + 1 ms per endpoint rewritten (kubeProxy.syncCost), so that
 * latencies are round numbers.
 */
export function fleet(minSyncPeriod: number, mode: ProxyMode = 'iptables', bandwidth = 0, nodes = 1, syncPeriod = 0, runner: ProxyRunner = 'tokenBucket') {
  const sim = new Simulator();
  const latency = new LatencyRecorder();
  let phase = 0;
  const hub = new WatchHub(sim, { received: () => {}, phase: () => phase }, [new EgressLink(bandwidth)], { watchList: false, relistCompression: 1, buffersPerWatcher: 2, bufferEvents: 1000, socketBufferBytes: 0, cohortsPerInstance: 64 });
  const proxy = new KubeProxyFleet(nodes, 'EndpointSlice', { mode, runner, minSyncPeriod, syncPeriod, periodicFullSync: true, largeClusterCleanup: true, minimizeIPTablesRestore: false, otherServices: 0, otherEndpoints: 0, cpuShare: 1, fixedCost: { base: 10_000, perEndpoint: 1_000 } }, latency);
  hub.addClient(proxy);
  const f = {
    deliver(e: WatchEvent, t: number, p: number) {
      phase = p;
      hub.dispatch(e, t);
    },
    finish: (end: number) => hub.finish(end),
  };
  return { f, latency, hub, proxy };
}

