// `slicesim size`: exact JSON and protobuf sizes of real objects (kubectl get -o json output), their
// watch-event sizes, and what one change costs when sent to N watchers.
import { encodeObject, jsonWatchEventBytes, messageTypeOf, protobufObjectBytes, protobufWatchEventBytes } from '../model/protobuf/envelope.js';
import { isEncodable } from '../model/protobuf/check.js';
import { messageBytes } from '../model/protobuf/size.js';
import { EncodeError } from '../model/protobuf/encode.js';
import { goJsonBytes } from '../model/json.js';
import { humanBytes } from '../report/summary.js';
import { UsageError } from './errors.js';
import { readObjects, type Obj } from '../k8s/read.js';

interface ObjectSize {
  kind: string;
  namespace: string;
  name: string;
  endpoints: number;
  jsonBytes: number;
  protobufBytes: number;
  watchEventJsonBytes: number;
  watchEventProtobufBytes: number;
}

function endpointCount(o: Obj): number {
  if (o.kind === 'EndpointSlice') return Array.isArray(o.endpoints) ? o.endpoints.length : 0;
  if (o.kind === 'Endpoints' && Array.isArray(o.subsets)) {
    return (o.subsets as Obj[]).reduce((n, s) => n + ((s.addresses as unknown[])?.length ?? 0) + ((s.notReadyAddresses as unknown[])?.length ?? 0), 0);
  }
  return 0;
}

/**
 * The object's protobuf size as encodeObject(o).length, counted without encoding (checked field by
 * field first, with the encoder's errors): seconds instead of minutes for a 100,000-pod List.
 */
function protobufBytesOf(o: Obj): number {
  const type = typeof o.apiVersion === 'string' && typeof o.kind === 'string' ? messageTypeOf(o.apiVersion, o.kind) : undefined;
  // An object the check refuses goes through the encoder, which throws its error with the field's path.
  if (!type || !isEncodable(type, o)) return encodeObject(o).length;
  return protobufObjectBytes(o.apiVersion as string, o.kind as string, messageBytes(type, o));
}

export function measureObjects(file: string, objects: Obj[]): ObjectSize[] {
  return objects.map((o, i) => {
    let protobufBytes: number;
    try {
      protobufBytes = protobufBytesOf(o);
    } catch (e) {
      if (e instanceof EncodeError) throw new UsageError(`${file}: ${objects.length > 1 ? `items[${i}]: ` : ''}${e.message}`);
      throw e;
    }
    const jsonBytes = goJsonBytes(o);
    const meta = (o.metadata ?? {}) as Obj;
    return {
      kind: String(o.kind),
      namespace: String(meta.namespace ?? ''),
      name: String(meta.name ?? meta.generateName ?? ''),
      endpoints: endpointCount(o),
      jsonBytes,
      protobufBytes,
      watchEventJsonBytes: jsonWatchEventBytes(jsonBytes),
      watchEventProtobufBytes: protobufWatchEventBytes(protobufBytes),
    };
  });
}

export function sizeCommand(file: string, nodes: number, json: boolean): void {
  if (!Number.isInteger(nodes) || nodes < 0) throw new UsageError(`--nodes: expected a whole number ≥ 0, got ${nodes}`);
  const objects = measureObjects(file, readObjects(file));
  const fanoutJsonBytes = objects.reduce((s, o) => s + o.watchEventJsonBytes * nodes, 0);
  const fanoutProtobufBytes = objects.reduce((s, o) => s + o.watchEventProtobufBytes * nodes, 0);
  if (json) {
    process.stdout.write(`${JSON.stringify({ objects, nodes, fanoutJsonBytes, fanoutProtobufBytes })}\n`);
    return;
  }
  const head = ['kind', 'namespace/name', 'endpoints', 'json', 'protobuf', 'watch json', 'watch protobuf'];
  const rows = objects.map((o) => [o.kind, `${o.namespace}/${o.name}`, String(o.endpoints), String(o.jsonBytes), String(o.protobufBytes), String(o.watchEventJsonBytes), String(o.watchEventProtobufBytes)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const lines = [fmt(head), ...rows.map(fmt), '', `bytes (exact); one change of every object sent to ${nodes} watchers:`,
    `  json:     ${fanoutJsonBytes} (${humanBytes(fanoutJsonBytes)})`, `  protobuf: ${fanoutProtobufBytes} (${humanBytes(fanoutProtobufBytes)})`];
  process.stdout.write(`${lines.join('\n')}\n`);
}

