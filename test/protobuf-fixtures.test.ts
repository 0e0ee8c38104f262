// Every object in test/fixtures/k8s-testdata (real objects with the bytes Kubernetes' own
// serializer wrote) must be reproduced byte for byte from its JSON.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { encodeObject, protobufObjectBytes } from '../src/model/protobuf/envelope.js';
import { encodeMessage } from '../src/model/protobuf/encode.js';
import { messageBytes } from '../src/model/protobuf/size.js';
import { metaProtobufBytes, normalizeMeta } from '../src/model/meta.js';
import { messageTypeOf } from '../src/model/protobuf/envelope.js';
import { FIXTURES_DIR } from './paths.js';

const names = readdirSync(FIXTURES_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));

describe('protobuf encoder against k8s-testdata', () => {
  it('has fixtures to check', () => expect(names.length).toBeGreaterThanOrEqual(4));
  for (const name of names) {
    it(`${name} byte for byte`, () => {
      const json = JSON.parse(readFileSync(`${FIXTURES_DIR}/${name}.json`, 'utf8'));
      const want = new Uint8Array(readFileSync(`${FIXTURES_DIR}/${name}.pb`));
      const got = encodeObject(json);
      expect(Buffer.from(got).toString('hex')).toBe(Buffer.from(want).toString('hex'));
      const inner = encodeMessage(messageTypeOf(json.apiVersion, json.kind)!, json).length;
      expect(protobufObjectBytes(json.apiVersion, json.kind, inner)).toBe(want.length);
    });
    it(`${name}: messageBytes counts what the encoder writes, whole object and metadata`, () => {
      const json = JSON.parse(readFileSync(`${FIXTURES_DIR}/${name}.json`, 'utf8'));
      const type = messageTypeOf(json.apiVersion, json.kind)!;
      expect(messageBytes(type, json)).toBe(encodeMessage(type, json).length);
      const meta = json.metadata ?? {};
      expect(metaProtobufBytes(meta)).toBe(encodeMessage('meta.ObjectMeta', normalizeMeta(meta)).length);
      // fields normalizeMeta drops are not counted
      const extra = { ...meta, finalizers: ['x'], deletionTimestamp: '2026-01-01T00:00:00Z', generation: 0, labels: {} };
      expect(metaProtobufBytes(extra)).toBe(encodeMessage('meta.ObjectMeta', normalizeMeta(extra)).length);
    });
  }
});
