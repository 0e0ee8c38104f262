// What each result column is called in the reports, and the Prometheus metric a real cluster exposes
// for the same quantity (so a simulated figure can be set beside a measured one). Metric names as
// upstream registers them:
//   apiserver_request_total, apiserver_response_sizes, apiserver_watch_events_total,
//   apiserver_watch_events_sizes: kubernetes/apiserver pkg/endpoints/metrics/metrics.go (the watch
//   pair observed per event per watch connection in pkg/endpoints/handlers/watch.go);
//   a write refused with "etcdserver: request is too large" answers 413 (isTooLargeError,
//   pkg/endpoints/handlers/rest.go); apiserver_storage_objects: pkg/storage/etcd3/metrics/metrics.go;
//   kubeproxy_network_programming_duration_seconds: kubernetes/kubernetes pkg/proxy/metrics/metrics.go;
//   etcd_*: etcd's server/etcdserver and server/storage/mvcc metrics.
// Columns not listed here still appear in every report, under their own name.

export interface ColumnDoc {
  /** Short label for tables and chart axes. */
  label: string;
  /** The Prometheus metric (and labels) a real cluster has for it, or how it is derived. */
  prometheus: string;
}

export const COLUMN_DOCS: Record<string, ColumnDoc> = {
  scenario: { label: 'scenario', prometheus: 'label: the cluster or test run' },
  model: { label: 'model', prometheus: 'label: resource="endpoints" or resource="endpointslices" on the metrics below' },
  phase: { label: 'phase', prometheus: 'the time window a query covers (increase(…[window]) over the phase)' },
  nodes: { label: 'nodes', prometheus: 'count(kube_node_info) (kube-state-metrics)' },
  endpoints_peak: { label: 'endpoints (peak)', prometheus: 'max of sum(kube_endpoint_address) / endpoints in kube_endpointslice (kube-state-metrics)' },
  objects_end: { label: 'objects at end', prometheus: 'apiserver_storage_objects{resource="endpoints"|"endpointslices.discovery.k8s.io"}' },
  writes: { label: 'writes', prometheus: 'apiserver_request_total{verb=~"POST|PUT|DELETE",resource=~"endpoints|endpointslices",code=~"2.."}' },
  rejected_writes: { label: 'writes refused (size)', prometheus: 'apiserver_request_total{…,code="413"} (etcdserver: request is too large)' },
  quota_rejected_writes: { label: 'writes refused (quota)', prometheus: 'apiserver_request_total{…,code="500"} with mvcc: database space exceeded; etcd_server_quota_backend_bytes' },
  max_object_bytes: { label: 'largest object', prometheus: 'largest apiserver_watch_events_sizes bucket used (the histogram stops at 128 KiB)' },
  watch_events: { label: 'watch events', prometheus: 'apiserver_watch_events_total{resource=~"endpoints|endpointslices"} (per event per watcher)' },
  watch_bytes: { label: 'watch bytes', prometheus: 'apiserver_watch_events_sizes_sum{resource=~"endpoints|endpointslices"}' },
  etcd_bytes: { label: 'etcd write bytes', prometheus: 'etcd_network_client_grpc_received_bytes_total (endpoint writes only)' },
  relist_bytes: { label: 're-list bytes', prometheus: 'apiserver_response_sizes_sum{verb="LIST",resource=~"endpoints|endpointslices"}' },
  replay_bytes: { label: 'replayed bytes', prometheus: 'apiserver_watch_events_sizes_sum of events re-sent from the watch cache after a re-watch' },
  programming_latency_p50_ms: { label: 'latency p50', prometheus: 'histogram_quantile(0.5, kubeproxy_network_programming_duration_seconds_bucket) over the run' },
  programming_latency_p99_ms: { label: 'latency p99', prometheus: 'histogram_quantile(0.99, kubeproxy_network_programming_duration_seconds_bucket) over the run' },
  programming_latency_max_ms: { label: 'latency max', prometheus: 'the largest kubeproxy_network_programming_duration_seconds observation' },
  npl_cl2_p50_ms: { label: 'CL2 NPL p50', prometheus: 'clusterloader2 NetworkProgrammingLatency Perc50: quantile_over_time(0.99, 5 min p50 of kubeproxy_network_programming_duration_seconds)' },
  npl_cl2_p90_ms: { label: 'CL2 NPL p90', prometheus: 'clusterloader2 NetworkProgrammingLatency Perc90' },
  npl_cl2_p99_ms: { label: 'CL2 NPL p99', prometheus: 'clusterloader2 NetworkProgrammingLatency Perc99' },
  etcd_db_peak_bytes: { label: 'etcd db (peak)', prometheus: 'max_over_time(etcd_mvcc_db_total_size_in_bytes)' },
  etcd_raft_bytes: { label: 'etcd raft bytes', prometheus: 'etcd_network_peer_sent_bytes_total (leader to followers)' },
  pods_replaced: { label: 'pods replaced', prometheus: 'none (Deployment rollout progress: kube_deployment_status_replicas_updated)' },
  writes_per_replaced_pod: { label: 'writes / pod', prometheus: 'derived: writes / pods_replaced' },
  bytes_per_replaced_pod: { label: 'bytes / pod', prometheus: 'derived: watch_bytes / pods_replaced' },
  etcd_watch_bytes: { label: 'etcd watch bytes', prometheus: 'etcd_network_client_grpc_sent_bytes_total (the API server\'s watch, prevKV included)' },
  nodes_up_to_date: { label: 'nodes up to date', prometheus: 'none; derived from kubeproxy_sync_proxy_rules_last_timestamp_seconds against the change times' },
  cross_zone_traffic_fraction: { label: 'cross-zone traffic', prometheus: 'none in Kubernetes (cloud flow logs)' },
  max_endpoint_load_ratio: { label: 'busiest endpoint / mean', prometheus: 'none in Kubernetes (per-pod request rates)' },
  dropped_traffic_fraction: { label: 'dropped traffic', prometheus: 'none in Kubernetes (kube-proxy rules with no endpoint)' },
  hint_writes: { label: 'hint writes', prometheus: 'part of apiserver_request_total for endpointslices' },
};

export const columnLabel = (column: string): string => COLUMN_DOCS[column]?.label ?? column.replace(/_/g, ' ');
