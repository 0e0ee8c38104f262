// Node names and pod addresses (SPEC.md "Safety of the command line", issue 8 item 6): distinct and
// valid up to 1,000,000 nodes, the pod CIDR per node from cluster.podCIDRMaskSize, and unchanged for
// the node counts of the committed results.
import { describe, expect, it } from 'vitest';
import { isIPv4, isIPv6 } from 'node:net';
import { nodeName, podIPv4, podIPv6, podCIDRFits, podsPerNode } from '../src/workload/cluster.js';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

describe('node names', () => {
  it('are distinct, valid DNS subdomains for 1,000,000 nodes', () => {
    const names = new Set<string>();
    for (let i = 0; i < 1_000_000; i++) names.add(nodeName(i));
    expect(names.size).toBe(1_000_000);
    for (const i of [0, 65_535, 65_536, 999_999]) expect(nodeName(i)).toMatch(DNS_SUBDOMAIN);
  });

  it('keep the EKS form ip-10-0-<a>-<b> of earlier results below 65,536 nodes', () => {
    expect(nodeName(0)).toBe('ip-10-0-0-0.ec2.internal');
    expect(nodeName(2999)).toBe('ip-10-0-11-183.ec2.internal');
    expect(nodeName(65_536)).toBe('ip-10-1-0-0.ec2.internal');
  });
});

describe('pod addresses', () => {
  it('are valid and distinct across 1,000,000 /24 pod CIDRs (first, middle and last hosts)', () => {
    const seen = new Set<string>();
    for (let node = 0; node < 1_000_000; node += 997) {
      for (const host of [1, 2, 254]) {
        const v4 = podIPv4(node, host, 24);
        const v6 = podIPv6(node, host);
        expect(isIPv4(v4), v4).toBe(true);
        expect(isIPv6(v6), v6).toBe(true);
        seen.add(v4).add(v6);
      }
    }
    expect(seen.size).toBe(2 * 3 * Math.ceil(1_000_000 / 997));
    expect([podIPv4(999_999, 254, 24), podIPv6(999_999, 254)].every((ip) => isIPv4(ip) || isIPv6(ip))).toBe(true);
  });

  it('keep the 10.64.0.0/10 addresses of earlier results for /24s (node n: 10.<64 + n/256>.<n mod 256>.<host>)', () => {
    expect(podIPv4(0, 2, 24)).toBe('10.64.0.2');
    expect(podIPv4(2999, 17, 24)).toBe(`10.${64 + (2999 >> 8)}.${2999 & 255}.17`);
    expect(podIPv6(2999, 17)).toBe(`fd00:10:244:${(2999).toString(16)}::11`);
  });

  it('follow the mask size: a /26 holds 62 pods and node n starts 64·n addresses in', () => {
    expect(podsPerNode(26, 110)).toBe(62);
    expect(podsPerNode(24, 110)).toBe(110);
    expect(podsPerNode(24, 500)).toBe(254);
    expect(podIPv4(1, 1, 26)).toBe('10.64.0.65');
    expect(podIPv4(4, 1, 26)).toBe('10.64.1.1');
  });

  it('refuse node counts whose CIDRs would run past the IPv4 space', () => {
    expect(podCIDRFits(1_000_000, 24)).toBe(true);
    expect(podCIDRFits(1_000_000, 16)).toBe(false);
  });
});
