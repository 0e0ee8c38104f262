// RELIST_GZIP_RATIO (src/simulation.ts) measured: realistic objects (Deployment pod names, pod IPs
// spread over node CIDRs, EC2 node names, three zones) reconciled by the real controllers, encoded to
// protobuf as the API server stores and lists them, then gzipped as APIResponseCompression does.
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import seedrandom from 'seedrandom';
import { reconcileList } from '../src/k8s/reconcile.js';
import { encodeObject } from '../src/model/protobuf/envelope.js';
import { RELIST_GZIP_RATIO } from '../src/simulation.js';
import { list, node, pod, service } from './k8s-fixtures.js';
import type { Obj } from '../src/k8s/read.js';

function cluster(pods: number, nodes: number): Obj[] {
  const rng = seedrandom('relist');
  const alnum = 'bcdfghjklmnpqrstvwxz2456789';
  const word = (n: number) => Array.from({ length: n }, () => alnum[Math.floor(rng() * alnum.length)]).join('');
  const zones = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
  const nodeNames = Array.from({ length: nodes }, (_, i) => `ip-10-0-${Math.floor(i / 250)}-${i % 250}.ec2.internal`);
  const hash = word(10);
  return list(
    service({}, { name: 'web', namespace: 'default' }),
    nodeNames.map((n, i) => node(n, zones[i % 3])),
    Array.from({ length: pods }, (_, i) => {
      const n = Math.floor(rng() * nodes);
      const p = pod(i, { namespace: 'default', node: nodeNames[n], ips: [`10.${64 + (n >> 8)}.${n & 255}.${2 + Math.floor(rng() * 250)}`] });
      (p.metadata as Obj).name = `web-${hash}-${word(5)}`;
      return p;
    }),
  );
}

const ratio = (objects: Obj[]) => {
  const parts = objects.map((o) => encodeObject({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', ...o }));
  const plain = Buffer.concat(parts);
  return gzipSync(plain).length / plain.length;
};

describe('gzip on re-lists of endpoint objects', () => {
  it('RELIST_GZIP_RATIO is what gzip makes of real EndpointSlice and Endpoints encodings', () => {
    const items = cluster(5000, 300);
    const slices = reconcileList('t.json', items, { controller: 'endpointslice', maxEndpointsPerSlice: 100, maxEndpoints: 0 }).create;
    const endpoints = reconcileList('t.json', items, { controller: 'endpoints', maxEndpointsPerSlice: 100, maxEndpoints: 0 }).create;
    const sliceRatio = ratio(slices);
    const endpointsRatio = (() => {
      const plain = Buffer.concat(endpoints.map((o) => encodeObject({ apiVersion: 'v1', kind: 'Endpoints', ...o })));
      return gzipSync(plain).length / plain.length;
    })();
    expect(Math.abs(sliceRatio - RELIST_GZIP_RATIO)).toBeLessThan(0.02);
    expect(Math.abs(endpointsRatio - RELIST_GZIP_RATIO)).toBeLessThan(0.02);
  });
});
