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
  const compare = 2 /* target MOD */ + delimitedSize(3, keyBytes) + (modRevision > 0 ? 1 + varintSize(modRevision) : 0);
  const put = delimitedSize(1, keyBytes) + delimitedSize(2, valueBytes);
  const range = delimitedSize(1, keyBytes);
  const txn = delimitedSize(1, compare) + delimitedSize(2, delimitedSize(2, put)) + delimitedSize(3, delimitedSize(1, range));
  const header = delimitedSize(100, 1 + 9);
  return header + delimitedSize(7, txn);
}
