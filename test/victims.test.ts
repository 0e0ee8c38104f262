// getPodsToDelete (pkg/controller/replicaset/replica_set.go) takes the first pods in ActivePodsWithRanks
// order. ReplicaSet.victims keeps that order between scale-downs in a heap of snapshots (workload/
// deployment.ts); this checks every pick against sorting all live pods afresh, with the age buckets of
// the last rebuild (the SIM rule), while pods come, go, change readiness and move nodes' ranks.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ReplicaSet, lessOrNewer } from '../src/workload/deployment.js';
import type { Pod } from '../src/model/cluster.js';
import { micros, type Micros } from '../src/engine/time.js';

function pod(seq: number, node: number, readySecond: number): Pod {
  return {
    key: `ns/p${seq}`, namespace: 'ns', name: `p${seq}`, uid: `uid-${(seq * 7919) % 1000}-${seq}`, service: 0, seq,
    creationTime: micros(seq * 1e6), nodeName: `n${node}`, podIPs: ['10.0.0.1'], phase: 'Running', ready: true,
    readyTransitionTime: micros(readySecond * 1e6), deletionTimestamp: null, hostname: '', subdomain: '', containerPorts: [], resourceVersion: 1,
  };
}

type Op = { kind: 'add'; node: number } | { kind: 'remove'; at: number } | { kind: 'flip'; at: number } | { kind: 'victims'; count: number; after: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), node: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('victims' as const), count: fc.integer({ min: 1, max: 4 }), after: fc.integer({ min: 0, max: 40 }) }),
);

describe('ReplicaSet.victims (getPodsToDelete with ActivePodsWithRanks)', () => {
  it('picks what a full sort of the live pods picks, not-ready pods first', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 20, maxLength: 150, size: 'max' }), (ops) => {
        const podsOnNode = new Map<string, number>();
        const rs: ReplicaSet = new ReplicaSet(0, podsOnNode, (node) => rs.touch(node));
        const live: Pod[] = [];
        let seq = 0;
        let now = micros(1000e6);
        let rebuiltAt: Micros | undefined;
        for (const o of ops) {
          if (o.kind === 'add') {
            // Distinct ready seconds: ActivePodsWithRanks is then a total order (ties would go to the sort).
            const p = pod(seq, o.node, 10 + 3 * seq);
            seq++;
            rs.add(p);
            live.push(p);
          } else if (o.kind === 'remove' && live.length) {
            rs.remove(live.splice(o.at % live.length, 1)[0]);
          } else if (o.kind === 'flip' && live.length) {
            const p = live[o.at % live.length];
            const was = p.ready;
            p.ready = !p.ready;
            p.readyTransitionTime = micros(now);
            rs.readinessChanged(p, was);
          } else if (o.kind === 'victims' && live.length > o.count) {
            now = micros(now + o.after * 1e6);
            const notReady = live.filter((p) => !p.ready);
            // The kept order is (re)built only when ready pods are needed, and lasts 30 s.
            if (notReady.length < o.count && (rebuiltAt === undefined || now - rebuiltAt > 30e6)) rebuiltAt = now;
            const rank = (p: Pod) => podsOnNode.get(p.nodeName) ?? 0;
            const ref = rebuiltAt ?? now;
            const cmp = (a: Pod, b: Pod) => (lessOrNewer(a, b, rank(a), rank(b), a.ready ? ref : now) ? -1 : lessOrNewer(b, a, rank(b), rank(a), a.ready ? ref : now) ? 1 : 0);
            notReady.sort(cmp);
            const ready = live.filter((p) => p.ready).sort(cmp);
            const expected = [...notReady, ...ready].slice(0, o.count);
            const got = rs.victims(o.count, now);
            expect(got.map((p) => p.name)).toEqual(expected.map((p) => p.name));
            for (const p of got) {
              rs.remove(p);
              live.splice(live.indexOf(p), 1);
            }
          }
        }
      }),
      { numRuns: 400, seed: 7 },
    );
  });
});
