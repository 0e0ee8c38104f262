// The API server's protobuf framing of whole objects and of watch events:
//   object      = "k8s\0" + runtime.Unknown{typeMeta{apiVersion, kind}, raw, contentEncoding "", contentType ""}
//   watch event = 4-byte big-endian length + metav1.WatchEvent{type, object: RawExtension{raw: object}}
// Sizes are closed-form functions of the inner message size, so callers that keep sizes
// incrementally never need to encode.
import { ByteWriter, delimitedSize } from './wire.js';
import { encodeMessage, EncodeError } from './encode.js';

export const PROTOBUF_MAGIC = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

/** kind + apiVersion -> message type in schema.generated.ts. */
const MESSAGE_TYPES: Record<string, string> = {
  'v1/Pod': 'core.Pod',
  'v1/Service': 'core.Service',
  'v1/Endpoints': 'core.Endpoints',
  'v1/Node': 'core.Node',
  'v1/ConfigMap': 'core.ConfigMap',
  'v1/Secret': 'core.Secret',
  'v1/Namespace': 'core.Namespace',
  'discovery.k8s.io/v1/EndpointSlice': 'discovery.EndpointSlice',
};

export const SUPPORTED_KINDS = Object.keys(MESSAGE_TYPES);

export function messageTypeOf(apiVersion: string, kind: string): string | undefined {
  return MESSAGE_TYPES[`${apiVersion}/${kind}`];
}

/** Bytes of the envelope around an inner message of `innerBytes` for this apiVersion and kind. */
export function protobufObjectBytes(apiVersion: string, kind: string, innerBytes: number): number {
  const typeMeta = delimitedSize(1, apiVersion.length) + delimitedSize(2, kind.length);
  const unknown = delimitedSize(1, typeMeta) + delimitedSize(2, innerBytes) + 2 + 2; // + two empty strings
  return PROTOBUF_MAGIC.length + unknown;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** Bytes of one protobuf watch frame carrying an object of `objectBytes` (envelope included). */
export function protobufWatchEventBytes(objectBytes: number, type: WatchEventType = 'MODIFIED'): number {
  const rawExtension = delimitedSize(1, objectBytes);
  return 4 + delimitedSize(1, type.length) + delimitedSize(2, rawExtension);
}

/** Bytes of one JSON watch line `{"type":"…","object":…}\n` carrying an object of `objectBytes`. */
export function jsonWatchEventBytes(objectBytes: number, type: WatchEventType = 'MODIFIED'): number {
  return '{"type":"","object":}\n'.length + type.length + objectBytes;
}

/** The full protobuf encoding of an object given as JSON (with kind and apiVersion). */
export function encodeObject(obj: { apiVersion?: unknown; kind?: unknown }): Uint8Array {
  const { apiVersion, kind } = obj;
  const type = typeof apiVersion === 'string' && typeof kind === 'string' ? messageTypeOf(apiVersion, kind) : undefined;
  if (!type) {
    throw new EncodeError(
      `unsupported object apiVersion=${String(apiVersion)} kind=${String(kind)}; supported: ${SUPPORTED_KINDS.join(', ')}`,
    );
  }
  const inner = encodeMessage(type, obj);
  const typeMeta = new ByteWriter();
  typeMeta.string(1, apiVersion as string);
  typeMeta.string(2, kind as string);
  const unknown = new ByteWriter();
  unknown.raw(PROTOBUF_MAGIC);
  unknown.delimited(1, typeMeta.bytes());
  unknown.delimited(2, inner);
  unknown.string(3, '');
  unknown.string(4, '');
  return unknown.bytes();
}

