// The API server's registry of endpoint objects over etcd: server-set metadata (name from
// generateName, uid, resourceVersion, generation, managedFields), the etcd request-size check on the
// storage encoding, and one watch event per stored change.
import type { Simulator } from '../engine/simulator.js';
import type { Rng } from '../engine/rng.js';
import type { ObjectSizes, SizeModel } from '../model/sizes.js';
import { rfc3339 } from '../model/meta.js';
import type { Metrics } from '../report/metrics.js';
import { etcdPutRequestBytes, ETCD_REQUEST_TOO_LARGE, type EtcdStore } from './etcd.js';
import type { WatchHub } from './watch.js';
import { randomString, uuid } from './names.js';

export type EndpointKind = 'Endpoints' | 'EndpointSlice';

/** Metadata the API server sets on a write. */
export interface ServerMeta {
  name: string;
  uid: string;
  resourceVersion: string;
  creationTimestamp: string;
  /** 0 for kinds without generation tracking. */
  generation: number;
  /** Time of the writer's managedFields entry; undefined when the server had to strip managedFields. */
  managedFieldsTime: string | undefined;
}

/** A create or update as a controller sends it; the server completes it with ServerMeta. */
export interface WriteCandidate<T> {
  readonly kind: EndpointKind;
  readonly namespace: string;
  /** '' on a create with generateName. */
  readonly name: string;
  readonly generateName?: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Whether the kind's strategy tracks metadata.generation (EndpointSlice does, Endpoints not). */
  readonly tracksGeneration: boolean;
  /** When the change that caused this write happened at the controller (µs), for programming latency. */
  readonly triggerTime?: number;
  build(meta: ServerMeta): { object: T; sizes: ObjectSizes };
}

export interface StoredObject<T = unknown> {
  readonly kind: EndpointKind;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly meta: ServerMeta;
  readonly object: T;
  readonly sizes: ObjectSizes;
  readonly candidate: WriteCandidate<T>;
}

export type WriteResult<T> = { ok: true; stored: StoredObject<T> } | { ok: false; error: string };

export class ApiServer {
  private readonly objects = new Map<string, StoredObject>();
  private readonly modRevisions = new Map<string, number>();

  constructor(
    private readonly sim: Simulator,
    private readonly rng: Rng,
    private readonly sizes: SizeModel,
    readonly etcd: EtcdStore,
    private readonly watch: WatchHub,
    private readonly metrics: Metrics,
    /** API server instances: each keeps its own etcd watch, which carries the previous value too. */
    private readonly instances: number,
    /** The kind the run's model is about (what kube-proxy watches): objects_end and endpoints_peak count only it. */
    private readonly modelKind: EndpointKind = 'EndpointSlice',
    /** trace.csv: told of every endpoint-object write (and refusal). */
    private readonly trace?: { add(kind: string, object: string, action: string, bytes?: number): void },
  ) {}

  /** Objects and endpoints stored, of the model's kind. */
  private modelObjects = 0;
  private modelEndpoints = 0;

  /** Keeps the gauges of the model's kind: `old` is replaced by `now` (either may be absent). */
  private stored(kind: EndpointKind, old: ObjectSizes | undefined, now: ObjectSizes | undefined): void {
    if (kind !== this.modelKind) return;
    this.modelObjects += (now ? 1 : 0) - (old ? 1 : 0);
    this.modelEndpoints += (now?.endpoints ?? 0) - (old?.endpoints ?? 0);
    this.metrics.objects = this.modelObjects;
    this.metrics.setEndpoints(this.modelEndpoints);
  }

  /** The etcd watch event every API server instance receives for a change (value and prevKV). */
  private etcdWatchEvent(valueBytes: number, previousBytes: number): void {
    this.metrics.etcdWatch(this.instances * (valueBytes + previousBytes));
    this.metrics.etcdState(this.etcd.dbSize, this.etcd.raftBytes);
  }

  private key(kind: EndpointKind, namespace: string, name: string): string {
    return kind === 'Endpoints' ? `/registry/services/endpoints/${namespace}/${name}` : `/registry/endpointslices/${namespace}/${name}`;
  }

  get<T>(kind: EndpointKind, namespace: string, name: string): StoredObject<T> | undefined {
    return this.objects.get(this.key(kind, namespace, name)) as StoredObject<T> | undefined;
  }

  create<T>(c: WriteCandidate<T>): WriteResult<T> {
    let name = c.name;
    if (!name) {
      do name = c.generateName + randomString(this.rng, 5);
      while (this.objects.has(this.key(c.kind, c.namespace, name)));
    } else if (this.objects.has(this.key(c.kind, c.namespace, name))) return { ok: false, error: `${c.kind} "${name}" already exists` };
    const uid = uuid(this.rng);
    return this.store(c, { name, uid, creationTimestamp: rfc3339(this.sim.now), generation: c.tracksGeneration ? 1 : 0 }, 'ADDED');
  }

  update<T>(c: WriteCandidate<T>): WriteResult<T> {
    const old = this.get<T>(c.kind, c.namespace, c.name);
    if (!old) return { ok: false, error: `${c.kind} "${c.name}" not found` };
    const { uid, creationTimestamp, generation } = old.meta;
    return this.store(c, { name: c.name, uid, creationTimestamp, generation: c.tracksGeneration ? generation + 1 : 0 }, 'MODIFIED');
  }

  delete(kind: EndpointKind, namespace: string, name: string, triggerTime?: number): WriteResult<unknown> {
    const key = this.key(kind, namespace, name);
    const old = this.objects.get(key);
    if (!old) return { ok: false, error: `${kind} "${name}" not found` };
    // SIM: the delete transaction is sized as a put of an empty value (same compare, key and header).
    this.etcd.delete(key, etcdPutRequestBytes(key, 0, this.modRevisions.get(key) ?? 0));
    this.objects.delete(key);
    this.modRevisions.delete(key);
    this.etcdWatchEvent(0, old.sizes.storageBytes);
    const meta = { ...old.meta, resourceVersion: String(this.etcd.revision) };
    // DELETED carries the last object, with the revision of the delete.
    const { sizes } = old.candidate.build(meta);
    this.metrics.write(0);
    this.stored(kind, old.sizes, undefined);
    this.trace?.add(kind, `${namespace}/${name}`, 'delete', 0);
    this.watch.dispatch({ type: 'DELETED', object: { ...old, meta, sizes }, bytes: this.sizes.watchEventBytes(sizes.watchObjectBytes, 'DELETED'), triggerTime });
    return { ok: true, stored: old };
  }

  private store<T>(c: WriteCandidate<T>, fixed: Omit<ServerMeta, 'resourceVersion' | 'managedFieldsTime'>, type: 'ADDED' | 'MODIFIED'): WriteResult<T> {
    const key = this.key(c.kind, c.namespace, fixed.name);
    const resourceVersion = String(this.etcd.revision + 1);
    const modRevision = this.modRevisions.get(key) ?? 0;
    const put = (s: ObjectSizes) => this.etcd.put(key, s.storageBytes, etcdPutRequestBytes(key, s.storageBytes, modRevision));
    let meta: ServerMeta = { ...fixed, resourceVersion, managedFieldsTime: rfc3339(this.sim.now) };
    let built = c.build(meta);
    let result = put(built.sizes);
    if (!result.ok && result.error === ETCD_REQUEST_TOO_LARGE) {
      // The API server retries a too-large write once with managedFields stripped.
      meta = { ...meta, managedFieldsTime: undefined };
      built = c.build(meta);
      result = put(built.sizes);
    }
    if (!result.ok) {
      this.metrics.rejectedWrite(result.error === ETCD_REQUEST_TOO_LARGE ? 'tooLarge' : 'noSpace');
      this.trace?.add(c.kind, `${c.namespace}/${fixed.name}`, `${type === 'ADDED' ? 'create' : 'update'}-rejected`, built.sizes.storageBytes);
      return { ok: false, error: result.error };
    }
    this.modRevisions.set(key, this.etcd.revision);
    const previous = this.objects.get(key)?.sizes;
    this.etcdWatchEvent(built.sizes.storageBytes, previous?.storageBytes ?? 0);
    const stored: StoredObject<T> = { kind: c.kind, namespace: c.namespace, name: fixed.name, labels: c.labels, meta, object: built.object, sizes: built.sizes, candidate: c };
    this.objects.set(key, stored);
    this.metrics.write(built.sizes.storageBytes, c.kind === this.modelKind);
    this.stored(c.kind, previous, built.sizes);
    this.trace?.add(c.kind, `${c.namespace}/${fixed.name}`, type === 'ADDED' ? 'create' : 'update', built.sizes.storageBytes);
    this.watch.dispatch({ type, object: stored, bytes: this.sizes.watchEventBytes(built.sizes.watchObjectBytes, type), triggerTime: c.triggerTime });
    return { ok: true, stored };
  }
}
