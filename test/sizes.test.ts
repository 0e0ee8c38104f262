// Incrementally kept sizes must equal a full encode of the same object, in protobuf (reference
// encoder, itself checked against k8s-testdata) and in JSON, for random objects (property tests).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EndpointSlice, makeEndpoint, withHints, type EndpointPort } from '../src/model/endpointslice.js';
import { EndpointsContent, makeAddress, type CorePort } from '../src/model/endpoints.js';
import { SizeModel } from '../src/model/sizes.js';
import { encodeObject } from '../src/model/protobuf/envelope.js';
import { goJsonBytes } from '../src/model/json.js';
import { normalizeMeta, type ObjectMeta } from '../src/model/meta.js';
import { jsonWatchEventBytes, protobufWatchEventBytes } from '../src/model/protobuf/envelope.js';

const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,40}$/);
const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.'));
const ipv6 = fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 }).map((g) => g.map((x) => x.toString(16)).join(':'));
const uid = fc.uuid();
const targetRef = fc.record({ kind: fc.constant('Pod'), namespace: name, name, uid });
const meta: fc.Arbitrary<ObjectMeta> = fc.record(
  {
    name,
    generateName: name,
    namespace: name,
    uid,
    resourceVersion: fc.nat().map(String),
    generation: fc.nat(1000),
    creationTimestamp: fc.constant('2026-01-01T00:00:05Z'),
    labels: fc.dictionary(name, fc.string({ maxLength: 20 }), { maxKeys: 4 }),
    annotations: fc.dictionary(name, fc.string({ maxLength: 40 }), { maxKeys: 3 }),
  },
  { requiredKeys: ['name', 'namespace'] },
);

const endpoint = fc
  .record(
    {
      addresses: fc.array(fc.oneof(ipv4, ipv6), { minLength: 1, maxLength: 3 }),
      conditions: fc.record({ ready: fc.boolean(), serving: fc.boolean(), terminating: fc.boolean() }),
      hostname: name,
      targetRef,
      nodeName: fc.oneof(name, fc.string({ maxLength: 12 })),
      zone: fc.oneof(name, fc.string({ maxLength: 12 })),
      hints: fc.record({ forZones: fc.array(name, { maxLength: 2 }), forNodes: fc.array(name, { maxLength: 2 }) }, { requiredKeys: [] }),
    },
    { requiredKeys: ['addresses', 'conditions'] },
  )
  .map((e) => makeEndpoint(e.targetRef ? `${e.targetRef.namespace}/${e.targetRef.name}` : e.addresses[0], e));

const slicePort: fc.Arbitrary<EndpointPort> = fc.record(
  { name, protocol: fc.constantFrom('TCP', 'UDP', 'SCTP'), port: fc.integer({ min: 1, max: 65535 }), appProtocol: name },
  { requiredKeys: [] },
);

const models = (['protobuf', 'json'] as const).map((e) => new SizeModel(e, { bytesPerEndpoint: 0, bytesPerObject: 0 }));

describe('EndpointSlice sizes', () => {
  it('equal a full encode for random slices, after random edits', () => {
    fc.assert(
      fc.property(meta, fc.array(endpoint, { maxLength: 30 }), fc.array(slicePort, { maxLength: 3 }), fc.nat(30), (m, eps, ports, cut) => {
        const original = new EndpointSlice(m, 'IPv4', eps, ports);
        // An edit keeps carried sums consistent: drop some endpoints, change metadata.
        const edited = original.with({ endpoints: eps.slice(cut) }).with({ metadata: { ...m, resourceVersion: '42' } });
        for (const slice of [original, edited]) {
          const json = slice.toJSON();
          const [pb, js] = models.map((model) => model.slice(slice));
          expect(pb.watchObjectBytes).toBe(encodeObject(json).length);
          expect(js.watchObjectBytes).toBe(goJsonBytes(json));
          const stored = { ...json, metadata: normalizeMeta({ ...slice.metadata, resourceVersion: '' }) };
          expect(pb.storageBytes).toBe(encodeObject(stored).length);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('Endpoints sizes', () => {
  const corePort: fc.Arbitrary<CorePort> = fc.record({ name: fc.oneof(fc.constant(''), name), port: fc.integer({ min: 1, max: 65535 }), protocol: fc.constantFrom('TCP', 'UDP') });
  const address = fc.record({ ip: ipv4, hostname: fc.oneof(fc.constant(''), name), nodeName: fc.oneof(name, fc.string({ maxLength: 12 })), targetRef, ready: fc.boolean() });
  it('equal a full encode for random contents, truncated or not, after adds and removes', () => {
    fc.assert(
      fc.property(
        meta,
        fc.array(fc.tuple(address, fc.nat(1)), { maxLength: 40 }),
        fc.array(fc.array(corePort, { minLength: 0, maxLength: 2 }), { minLength: 2, maxLength: 2 }),
        fc.nat(25),
        fc.integer({ min: 0, max: 30 }),
        (m, addrs, portSets, removeCount, maxEndpoints) => {
          const content = new EndpointsContent();
          addrs.forEach(([a, set], i) => content.set(`k${i}`, makeAddress(`k${i}`, a), portSets[set]));
          for (let i = 0; i < removeCount && i < addrs.length; i += 2) content.set(`k${i}`, undefined, []);
          const subsets = content.toJSON(maxEndpoints);
          const obj = { kind: 'Endpoints', apiVersion: 'v1', metadata: normalizeMeta(m), ...(subsets.length ? { subsets } : {}) };
          const measure = content.measure(maxEndpoints);
          const [pb, js] = models.map((model) => model.endpoints(m, measure));
          expect(pb.watchObjectBytes).toBe(encodeObject(obj).length);
          expect(js.watchObjectBytes).toBe(goJsonBytes(obj));
          expect(measure.addresses).toBe(subsets.reduce((s, x) => s + ((x.addresses as unknown[])?.length ?? 0) + ((x.notReadyAddresses as unknown[])?.length ?? 0), 0));
          if (maxEndpoints > 0) expect(measure.addresses).toBeLessThanOrEqual(maxEndpoints);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('Endpoints sizes of a write not yet applied', () => {
  const corePort: fc.Arbitrary<CorePort> = fc.record({ name: fc.oneof(fc.constant(''), name), port: fc.integer({ min: 1, max: 65535 }), protocol: fc.constantFrom('TCP', 'UDP') });
  const address = fc.record({ ip: ipv4, hostname: fc.oneof(fc.constant(''), name), nodeName: name, targetRef, ready: fc.boolean() });
  it('measureWith(changes) equals measure() after applying them, or declines when truncation applies', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(address, fc.nat(2)), { maxLength: 30 }),
        fc.array(fc.tuple(fc.nat(40), fc.option(fc.tuple(address, fc.nat(2)))), { maxLength: 20 }),
        fc.array(fc.array(corePort, { minLength: 0, maxLength: 2 }), { minLength: 3, maxLength: 3 }),
        fc.integer({ min: 0, max: 40 }),
        (initial, edits, portSets, maxEndpoints) => {
          const content = new EndpointsContent();
          initial.forEach(([a, set], i) => content.set(`k${i}`, makeAddress(`k${i}`, a), portSets[set]));
          // One change per key, as a sync makes them.
          const byKey = new Map(edits.map(([k, d]) => [`k${k}`, d] as const));
          const changes = [...byKey].map(([key, d]) => ({ key, address: d ? makeAddress(key, d[0]) : undefined, ports: d ? portSets[d[1]] : [], portKey: JSON.stringify(d ? portSets[d[1]] : []) }));
          const predicted = content.measureWith(changes, maxEndpoints);
          for (const c of changes) content.set(c.key, c.address, c.ports);
          const actual = content.measure(maxEndpoints);
          if (predicted) expect(predicted).toEqual(actual);
          else expect(actual.truncated).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('watch event framing', () => {
  it('matches SPEC.md: JSON adds {"type":"MODIFIED","object":…}\\n, protobuf a length prefix and WatchEvent', () => {
    expect(jsonWatchEventBytes(940213)).toBe(940243);
    expect(protobufWatchEventBytes(655433)).toBe(655455);
    expect(protobufWatchEventBytes(100, 'ADDED')).toBe(4 + 7 + 1 + 1 + 1 + 1 + 100);
  });
});

describe('withHints', () => {
  const hints = fc.option(fc.record({ forZones: fc.array(name, { maxLength: 2 }), forNodes: fc.array(name, { maxLength: 2 }) }, { requiredKeys: [] }), { nil: undefined });
  it('adjusts sizes to what makeEndpoint counts for the same endpoint with the new hints', () => {
    fc.assert(
      fc.property(endpoint, hints, (e, h) => {
        const got = withHints(e, h);
        const { protobufBytes: _p, jsonBytes: _j, key, hints: _h, ...fields } = e;
        const want = makeEndpoint(key, h ? { ...fields, hints: h } : fields);
        expect([got.protobufBytes, got.jsonBytes, got.hints]).toEqual([want.protobufBytes, want.jsonBytes, want.hints]);
      }),
      { numRuns: 500 },
    );
  });
});
