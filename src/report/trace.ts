// trace.csv (`slicesim run --trace`): one row per pod transition and per endpoint-object write of each
// model, in time order, so a user can see which pods were created, deleted and written, and when.
import { stringify } from 'csv-stringify/sync';
import { toSeconds, type Micros } from '../engine/time.js';
import type { Pod } from '../model/cluster.js';

export interface TraceRow {
  time: Micros;
  kind: string;
  /** namespace/name. */
  object: string;
  /**
   * Pods: created, ip-assigned, ready, not-ready, terminating, deleted. Endpoint objects: create,
   * update, delete, or create-rejected / update-rejected for a write etcd refused.
   */
  action: string;
  /** Stored (etcd) bytes of an endpoint-object write; empty for pods. */
  bytes?: number;
}

/** Collects one model's rows (in the order things happen, which is time order). */
export class Trace {
  readonly rows: TraceRow[] = [];

  constructor(private readonly now: () => Micros) {}

  add(kind: string, object: string, action: string, bytes?: number): void {
    this.rows.push({ time: this.now(), kind, object, action, bytes });
  }

  /** A pod store change, as the transitions it holds (one row each). */
  pod(pod: Pod, old: Readonly<Pod> | undefined, deleted: boolean): void {
    if (deleted) return this.add('Pod', pod.key, 'deleted');
    if (!old) {
      this.add('Pod', pod.key, 'created');
      if (pod.podIPs.length) this.add('Pod', pod.key, 'ip-assigned');
      if (pod.ready) this.add('Pod', pod.key, 'ready');
      return;
    }
    if (pod.podIPs.length && !old.podIPs.length) this.add('Pod', pod.key, 'ip-assigned');
    if (pod.deletionTimestamp !== null && old.deletionTimestamp === null) this.add('Pod', pod.key, 'terminating');
    if (pod.ready !== old.ready) this.add('Pod', pod.key, pod.ready ? 'ready' : 'not-ready');
  }
}

export const TRACE_COLUMNS = ['time', 'model', 'kind', 'object', 'action', 'bytes'] as const;

/** The models' rows merged in time order (ties: models in run order, then each model's own order). */
export function traceCsv(runs: readonly { model: string; trace?: readonly TraceRow[] }[]): string {
  const rows: (string | number)[][] = [];
  const at = runs.map(() => 0);
  for (;;) {
    let best = -1;
    for (let i = 0; i < runs.length; i++) {
      const t = runs[i].trace;
      if (t && at[i] < t.length && (best < 0 || t[at[i]].time < runs[best].trace![at[best]].time)) best = i;
    }
    if (best < 0) break;
    const r = runs[best].trace![at[best]++];
    rows.push([toSeconds(r.time), runs[best].model, r.kind, r.object, r.action, r.bytes ?? '']);
  }
  return stringify(rows, { header: true, columns: [...TRACE_COLUMNS] });
}
