// `slicesim size` checks objects with check.ts and counts bytes with size.ts instead of encoding them:
// both must agree with the encoder, on real fixtures and on objects with a wrong type in some field.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isEncodable } from '../src/model/protobuf/check.js';
import { encodeObject, messageTypeOf } from '../src/model/protobuf/envelope.js';
import { measureObjects } from '../src/cli/size.js';
import { FIXTURES_DIR } from './paths.js';

const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES_DIR, name), 'utf8'));
const FIXTURES = ['core.v1.Pod.json', 'core.v1.Endpoints.json', 'core.v1.Service.json', 'discovery.k8s.io.v1.EndpointSlice.json'];

const encodes = (o: Record<string, unknown>) => {
  try {
    encodeObject(o);
    return true;
  } catch {
    return false;
  }
};

describe('the size path agrees with the encoder', () => {
  it.each(FIXTURES)('%s: same protobuf bytes', (name) => {
    const o = fixture(name);
    expect(isEncodable(messageTypeOf(o.apiVersion, o.kind)!, o)).toBe(true);
    expect(measureObjects(name, [o])[0].protobufBytes).toBe(encodeObject(o).length);
  });

  it.each([
    ['a list given as a string', (p: any) => (p.status.podIPs = '10.0.0.1')],
    ['a string given as a number', (p: any) => (p.metadata.name = 7)],
    ['an integer given as a fraction', (p: any) => (p.metadata.generation = 1.5)],
    ['an integer given as text that is not a number', (p: any) => (p.spec.terminationGracePeriodSeconds = 'thirty')],
    ['a bad time', (p: any) => (p.metadata.creationTimestamp = 'yesterday')],
    ['a message given as a list', (p: any) => (p.spec = [])],
    ['a list element of the wrong type', (p: any) => (p.spec.containers = [5])],
  ])('%s: refused by both, with the encoder\'s message', (_, mutate) => {
    const p = fixture('core.v1.Pod.json');
    mutate(p);
    expect(isEncodable('core.Pod', p)).toBe(false);
    expect(encodes(p)).toBe(false);
    expect(() => measureObjects('pods.json', [p])).toThrow(/^pods\.json: .*expected/);
  });
});
