// Pod placement (workload/cluster.ts PodFactory): round-robin over the nodes, skipping full ones. The
// factory finds the next node with room from a bitset; this checks it against visiting node by node, over
// random creations and removals on clusters of sizes around the 32-node word boundary.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { resolveScenario } from '../src/scenario/load.js';
import { PodFactory, buildNodes, buildService, nodeName } from '../src/workload/cluster.js';
import { Rng } from '../src/engine/rng.js';
import type { Pod } from '../src/model/cluster.js';

/** The reference: the next node in turn (from the last placement) holding fewer than `capacity` pods. */
class NodeByNode {
  private next = 0;
  readonly bound: number[];
  constructor(
    nodes: number,
    private readonly capacity: number,
  ) {
    this.bound = new Array(nodes).fill(0);
  }
  place(): number {
    for (let tried = 0; tried < this.bound.length; tried++) {
      const node = this.next++ % this.bound.length;
      if (this.bound[node] < this.capacity) {
        this.bound[node]++;
        return node;
      }
    }
    return -1;
  }
}

describe('pod placement in turn, skipping full nodes', () => {
  it('places every pod where visiting node by node would, and a removal frees its node', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 4 }), fc.array(fc.boolean(), { maxLength: 400 }), (nodes, capacity, ops) => {
        const s = resolveScenario({ name: 'x', cluster: { nodes, maxPodsPerNode: capacity }, services: [{ name: 'web', replicas: 1 }] }, 'x');
        const rng = new Rng(1);
        const factory = new PodFactory(rng, buildNodes(s), [buildService(s.services[0], rng)], s.services, 24, capacity);
        const ref = new NodeByNode(nodes, capacity);
        const live: { pod: Pod; node: number }[] = [];
        for (const create of ops) {
          if (create || live.length === 0) {
            const pod = factory.create(0);
            const node = ref.place();
            expect(pod.nodeName).toBe(node < 0 ? '' : nodeName(node));
            if (node >= 0) live.push({ pod, node });
            else factory.releaseIPs(pod); // an unbound pod that is deleted again: it never held a place
          } else {
            const { pod, node } = live.splice(live.length >> 1, 1)[0];
            factory.releaseIPs(pod);
            ref.bound[node]--;
          }
        }
      }),
      { numRuns: 300, seed: 12 },
    );
  });
});
