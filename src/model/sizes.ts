// What an endpoint object costs in bytes: in storage (etcd) and on the watch stream, under the
// scenario's encoding. Real encodings are assembled from incrementally kept parts (metadata measured
// per write without encoding it, endpoint sums kept by the objects); `fixed` is the blog's and KEP-752's arithmetic.
import { delimitedSize } from './protobuf/wire.js';
import { jsonWatchEventBytes, protobufObjectBytes, protobufWatchEventBytes, type WatchEventType } from './protobuf/envelope.js';
import { goJsonBytes } from './json.js';
import { metaProtobufBytes, normalizeMeta, type ObjectMeta } from './meta.js';
import { endpointPortBytes, SLICE_API_VERSION, type EndpointSlice } from './endpointslice.js';
import type { SubsetsMeasure } from './endpoints.js';

export type Encoding = 'protobuf' | 'json' | 'fixed';

export interface ObjectSizes {
  /** Bytes etcd stores (protobuf without resourceVersion, as the API server stores core objects). */
  storageBytes: number;
  /** Bytes of the object in the watch encoding (envelope included, event framing not). */
  watchObjectBytes: number;
  /** Endpoints in the object as written. */
  endpoints: number;
}

export interface FixedSizes {
  bytesPerEndpoint: number;
  bytesPerObject: number;
}

export class SizeModel {
  constructor(
    readonly encoding: Encoding,
    private readonly fixed: FixedSizes,
  ) {}

  /** Whether object sizes depend on metadata (not in fixed mode, where only endpoints count). */
  get measuresMetadata(): boolean {
    return this.encoding !== 'fixed';
  }

  /** Bytes of one watch event carrying an object of `watchObjectBytes`. */
  watchEventBytes(watchObjectBytes: number, type: WatchEventType): number {
    if (this.encoding === 'fixed') return watchObjectBytes; // the published arithmetic has no framing
    return this.encoding === 'json' ? jsonWatchEventBytes(watchObjectBytes, type) : protobufWatchEventBytes(watchObjectBytes, type);
  }

  private fixedSizes(endpoints: number): ObjectSizes {
    const bytes = this.fixed.bytesPerEndpoint * endpoints + this.fixed.bytesPerObject;
    return { storageBytes: bytes, watchObjectBytes: bytes, endpoints };
  }

  slice(slice: EndpointSlice): ObjectSizes {
    const n = slice.endpoints.length;
    if (this.encoding === 'fixed') return this.fixedSizes(n);
    const metaProtobuf = metaProtobufBytes(slice.metadata);
    const rvBytes = Buffer.byteLength(slice.metadata.resourceVersion ?? '');
    const portsProtobuf = slice.ports.reduce((s, p) => s + endpointPortBytes(p), 0);
    const rest = slice.endpointsProtobufBytes + portsProtobuf + delimitedSize(4, slice.addressType.length);
    const inner = (metaBytes: number) => delimitedSize(1, metaBytes) + rest;
    const storageBytes = protobufObjectBytes(SLICE_API_VERSION, 'EndpointSlice', inner(metaProtobuf - rvBytes));
    if (this.encoding === 'protobuf') {
      return { storageBytes, watchObjectBytes: protobufObjectBytes(SLICE_API_VERSION, 'EndpointSlice', inner(metaProtobuf)), endpoints: n };
    }
    const shell = goJsonBytes({ kind: 'EndpointSlice', apiVersion: SLICE_API_VERSION, metadata: {}, addressType: slice.addressType, endpoints: [], ports: slice.ports });
    const json = shell - 2 + goJsonBytes(normalizeMeta(slice.metadata)) + slice.endpointsJsonBytes + Math.max(0, n - 1);
    return { storageBytes, watchObjectBytes: json, endpoints: n };
  }

  endpoints(metadata: ObjectMeta, subsets: SubsetsMeasure): ObjectSizes {
    if (this.encoding === 'fixed') return this.fixedSizes(subsets.addresses);
    const metaProtobuf = metaProtobufBytes(metadata);
    const rvBytes = Buffer.byteLength(metadata.resourceVersion ?? '');
    const inner = (metaBytes: number) => delimitedSize(1, metaBytes) + subsets.protobufBytes;
    const storageBytes = protobufObjectBytes('v1', 'Endpoints', inner(metaProtobuf - rvBytes));
    if (this.encoding === 'protobuf') {
      return { storageBytes, watchObjectBytes: protobufObjectBytes('v1', 'Endpoints', inner(metaProtobuf)), endpoints: subsets.addresses };
    }
    const json = '{"kind":"Endpoints","apiVersion":"v1","metadata":}'.length + goJsonBytes(normalizeMeta(metadata)) + subsets.jsonBytes;
    return { storageBytes, watchObjectBytes: json, endpoints: subsets.addresses };
  }
}
