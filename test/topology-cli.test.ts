// Topology through the command line (SPEC.md): `run` with traffic writes topology.csv and ends
// summary.csv with the traffic columns; `reconcile` prints hints and the topology events; bad
// topology keys exit 2 naming the key.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_DIR } from './paths.js';
import { list, pod, service } from './k8s-fixtures.js';

const cli = (...args: string[]) => spawnSync('node', [join(REPO_DIR, 'dist/cli/main.js'), ...args], { encoding: 'utf8', cwd: REPO_DIR });
const tmp = () => mkdtempSync(join(tmpdir(), 'slicesim-topology-'));

describe('slicesim run with traffic', () => {
  it('writes topology.csv and the traffic columns after the others', () => {
    const dir = tmp();
    const file = join(dir, 't.yaml');
    writeFileSync(file, 'name: t\ncluster: {nodes: 30}\nservices: [{name: web, replicas: 6, trafficDistribution: PreferClose, traffic: {requestsPerSecond: 100}}]\n');
    const r = cli('run', file, '--out', join(dir, 'out'), '--quiet');
    expect(r.status, r.stderr).toBe(0);
    const head = readFileSync(join(dir, 'out', 'summary.csv'), 'utf8').split('\n')[0].split(',');
    expect(head.slice(-4)).toEqual(['cross_zone_traffic_fraction', 'max_endpoint_load_ratio', 'dropped_traffic_fraction', 'hint_writes']);
    expect(existsSync(join(dir, 'out', 'topology.csv'))).toBe(true);
  });

  it('refuses a nodeCPU zone that does not exist, naming the key, and writes nothing', () => {
    const dir = tmp();
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'name: bad\ncluster: {nodes: 30, nodeCPU: {zone-a: 8, zone-b: 8, zone-c: 8, zone-x: 4}}\nservices: [{name: web}]\n');
    const r = cli('run', file, '--out', join(dir, 'out'), '--quiet');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('cluster.nodeCPU.zone-x');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

describe('slicesim reconcile with Nodes and the topology-mode annotation', () => {
  it('prints hints on the endpoints and the events under "events"', () => {
    const dir = tmp();
    const node = (name: string, zone: string) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'topology.kubernetes.io/zone': zone } }, status: { allocatable: { cpu: '4' }, conditions: [{ type: 'Ready', status: 'True' }] } });
    const items = list(service({}, { annotations: { 'service.kubernetes.io/topology-mode': 'Auto' } }), pod(1, { node: 'a' }), pod(2, { node: 'b' }), node('a', 'zone-a'), node('b', 'zone-b'));
    writeFileSync(join(dir, 'list.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
    const r = cli('reconcile', join(dir, 'list.json'));
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.create[0].endpoints.map((e: { zone: string; hints: unknown }) => [e.zone, e.hints])).toEqual([
      ['zone-a', { forZones: [{ name: 'zone-a' }] }],
      ['zone-b', { forZones: [{ name: 'zone-b' }] }],
    ]);
    expect(out.events).toEqual([{ type: 'Normal', reason: 'TopologyAwareHintsEnabled', message: 'Topology Aware Hints has been enabled, addressType: IPv4' }]);
    // Before 1.24 the topology cache is off by default: no hints.
    const old = JSON.parse(cli('reconcile', join(dir, 'list.json'), '--kubernetes', '1.23').stdout);
    expect(old.create[0].endpoints.every((e: { hints?: unknown }) => e.hints === undefined)).toBe(true);
  });
});
