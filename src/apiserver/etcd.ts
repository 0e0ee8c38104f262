// etcd's view of a write: the size of the raft request it checks against --max-request-bytes.
// The API server writes with a transaction: compare the key's mod revision, put on success, get on
// failure (etcd3 store GuaranteedUpdate/Create); etcd measures the marshalled InternalRaftRequest.
import { delimitedSize, varintSize } from '../model/protobuf/wire.js';

export const ETCD_REQUEST_TOO_LARGE = 'etcdserver: request is too large';

/**
 * Bytes of the InternalRaftRequest carrying a put of `valueBytes` at `key`, compared against
 * `modRevision` (0 for a create).
 * SIM: the request header's ID is taken as a 9-byte varint (etcd's IDs use the high bits of a
 * 64-bit member ID); auth fields are empty.
 */
export function etcdPutRequestBytes(key: string, valueBytes: number, modRevision: number): number {
  const keyBytes = Buffer.byteLength(key);
  // mod_revision is a oneof member: written even when 0 (a create compares against revision 0).
  const compare = 2 /* target MOD */ + delimitedSize(3, keyBytes) + 1 + varintSize(modRevision);
  const put = delimitedSize(1, keyBytes) + delimitedSize(2, valueBytes);
  const range = delimitedSize(1, keyBytes);
  const txn = delimitedSize(1, compare) + delimitedSize(2, delimitedSize(2, put)) + delimitedSize(3, delimitedSize(1, range));
  const header = delimitedSize(100, 1 + 9);
  return header + delimitedSize(7, txn);
}

export const ETCD_NO_SPACE = 'etcdserver: mvcc: database space exceeded';

/**
 * Bytes one stored revision takes in etcd's bbolt database: key and value plus page and index
 * overhead. SIM: the overhead is a constant measured against etcd 3.4 (test/etcd-real.test.ts: the
 * quota alarm falls within 5% of this model for 9-100 kB values); small values, many to a page, are
 * overestimated.
 */
export const REVISION_OVERHEAD_BYTES = 1100;

export type EtcdPutResult = { ok: true } | { ok: false; error: string };

/**
 * etcd's storage as the quota sees it: every put and delete is a new revision; a value replaced or
 * deleted stays until a compaction passes the revision that replaced it. The database file grows to
 * hold what is kept and only shrinks on defragmentation; a put is refused once file size + its cost
 * would pass --quota-backend-bytes, and then every put is refused (the NOSPACE alarm) until a defrag.
 */
export class EtcdStore {
  revision = 0;
  private readonly live = new Map<string, number>();
  /** Superseded values and tombstones: [revision that superseded them, bytes], in revision order. */
  private readonly history: [number, number][] = [];
  private historyHead = 0;
  /** Bytes of kept revisions (live values plus uncompacted history). */
  inUse = 0;
  /** The database file: grows with inUse, shrinks only on defrag. */
  dbSize = 0;
  alarm = false;
  /** Bytes of raft entries sent to the followers. */
  raftBytes = 0;

  constructor(
    private readonly maxRequestBytes: number,
    private readonly quotaBackendBytes: number,
    private readonly members: number,
  ) {}

  private grow(bytes: number): void {
    this.inUse += bytes;
    if (this.inUse > this.dbSize) this.dbSize = this.inUse;
  }

  /** A put (create or update) carried in a raft request of `requestBytes`. */
  put(key: string, valueBytes: number, requestBytes: number): EtcdPutResult {
    if (requestBytes > this.maxRequestBytes) return { ok: false, error: ETCD_REQUEST_TOO_LARGE };
    const cost = Buffer.byteLength(key) + valueBytes + REVISION_OVERHEAD_BYTES;
    if (this.alarm || (this.quotaBackendBytes > 0 && this.dbSize + cost > this.quotaBackendBytes)) {
      this.alarm = true;
      return { ok: false, error: ETCD_NO_SPACE };
    }
    this.revision++;
    const previous = this.live.get(key);
    if (previous !== undefined) this.history.push([this.revision, previous]);
    this.live.set(key, cost);
    this.grow(cost);
    this.raftBytes += requestBytes * (this.members - 1);
    return { ok: true };
  }

  /** A delete: the value becomes history and a tombstone revision is written. Deletes are allowed under the alarm. */
  delete(key: string, requestBytes: number): void {
    const previous = this.live.get(key);
    if (previous === undefined) return;
    this.revision++;
    this.live.delete(key);
    const tombstone = Buffer.byteLength(key) + REVISION_OVERHEAD_BYTES;
    this.history.push([this.revision, previous + tombstone]);
    this.grow(tombstone);
    this.raftBytes += requestBytes * (this.members - 1);
  }

  /** Compacts away every revision superseded at or before `revision`; the freed space is reused, the file stays. */
  compact(revision: number): void {
    while (this.historyHead < this.history.length && this.history[this.historyHead][0] <= revision) {
      this.inUse -= this.history[this.historyHead][1];
      this.historyHead++;
    }
    if (this.historyHead > 1024 && this.historyHead * 2 > this.history.length) {
      this.history.splice(0, this.historyHead);
      this.historyHead = 0;
    }
  }

  /** Defragmentation: the file shrinks to what is kept; the operator then disarms the alarm. */
  defrag(): void {
    this.dbSize = this.inUse;
    this.alarm = false;
  }
}
