// Counters of one model's run, attributed to the phase in which they happen (`initial` until the
// first workload step, then each step's name). Summary rows and time-series samples read them.

export interface PhaseCounters {
  endpointsPeak: number;
  objectsEnd: number;
  writes: number;
  rejectedWrites: number;
  maxObjectBytes: number;
  watchEvents: number;
  watchBytes: number;
  etcdBytes: number;
  /** Pods deleted to be replaced (by a rollout step, a deletion, churn or the `replace` model). */
  podsReplaced: number;
  /** Bytes of full re-lists by watchers that were cut off or whose API server restarted. */
  relistBytes: number;
  /** Writes refused by etcd's space quota (mvcc: database space exceeded). */
  quotaRejectedWrites: number;
  /** The largest etcd database file seen. */
  etcdDbPeakBytes: number;
  /** Raft entries sent to the other etcd members. */
  etcdRaftBytes: number;
  /** etcd watch events to the API server instances (new value and previous value). */
  etcdWatchBytes: number;
}

const zero = (): PhaseCounters => ({
  endpointsPeak: 0, objectsEnd: 0, writes: 0, rejectedWrites: 0, maxObjectBytes: 0, watchEvents: 0, watchBytes: 0, etcdBytes: 0, podsReplaced: 0, relistBytes: 0, quotaRejectedWrites: 0, etcdDbPeakBytes: 0, etcdRaftBytes: 0, etcdWatchBytes: 0,
});

export class Metrics {
  readonly phases: string[] = ['initial'];
  readonly byPhase: PhaseCounters[] = [zero()];
  /** Cumulative over the run. */
  readonly total: PhaseCounters = zero();
  /** Gauges: endpoint objects stored, endpoints in the services now. */
  objects = 0;
  endpoints = 0;
  etcdDb = 0;
  private raftSeen = 0;

  private get current(): PhaseCounters {
    return this.byPhase[this.byPhase.length - 1];
  }

  startPhase(name: string): void {
    this.current.objectsEnd = this.objects;
    this.phases.push(name);
    const next = zero();
    next.endpointsPeak = this.endpoints;
    next.objectsEnd = this.objects;
    next.etcdDbPeakBytes = this.etcdDb;
    this.byPhase.push(next);
  }

  /** Closes the last phase at the end of the run. */
  finish(): void {
    this.current.objectsEnd = this.objects;
    this.total.objectsEnd = this.objects;
  }

  /** A stored write; `modelKind` false for the other controller's objects (which do not set max_object_bytes). */
  write(storageBytes: number, modelKind = true): void {
    this.current.writes++;
    this.total.writes++;
    this.current.etcdBytes += storageBytes;
    this.total.etcdBytes += storageBytes;
    if (!modelKind) return;
    if (storageBytes > this.current.maxObjectBytes) this.current.maxObjectBytes = storageBytes;
    if (storageBytes > this.total.maxObjectBytes) this.total.maxObjectBytes = storageBytes;
  }

  podReplaced(): void {
    this.current.podsReplaced++;
    this.total.podsReplaced++;
  }

  rejectedWrite(reason: 'tooLarge' | 'noSpace'): void {
    const field = reason === 'tooLarge' ? 'rejectedWrites' : 'quotaRejectedWrites';
    this.current[field]++;
    this.total[field]++;
  }

  /** Copies sent in `phase` that were dropped before they reached their watchers. */
  dropped(phase: number, events: number, watchBytes: number, listBytes: number): void {
    for (const c of [this.byPhase[phase], this.total]) {
      c.watchEvents -= events;
      c.watchBytes -= watchBytes;
      c.relistBytes -= listBytes;
    }
  }

  relisted(bytes: number): void {
    this.current.relistBytes += bytes;
    this.total.relistBytes += bytes;
  }

  etcdWatch(bytes: number): void {
    this.current.etcdWatchBytes += bytes;
    this.total.etcdWatchBytes += bytes;
  }

  /** etcd's database file size and cumulative raft bytes after a change. */
  etcdState(dbSize: number, raftBytes: number): void {
    this.etcdDb = dbSize;
    if (dbSize > this.current.etcdDbPeakBytes) this.current.etcdDbPeakBytes = dbSize;
    if (dbSize > this.total.etcdDbPeakBytes) this.total.etcdDbPeakBytes = dbSize;
    this.current.etcdRaftBytes += raftBytes - this.raftSeen;
    this.total.etcdRaftBytes += raftBytes - this.raftSeen;
    this.raftSeen = raftBytes;
  }

  watchDelivered(events: number, bytes: number): void {
    this.current.watchEvents += events;
    this.total.watchEvents += events;
    this.current.watchBytes += bytes;
    this.total.watchBytes += bytes;
  }

  setEndpoints(n: number): void {
    this.endpoints = n;
    if (n > this.current.endpointsPeak) this.current.endpointsPeak = n;
    if (n > this.total.endpointsPeak) this.total.endpointsPeak = n;
  }
}
