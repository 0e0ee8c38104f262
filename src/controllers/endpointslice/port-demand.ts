// Which port lists the service's pods want, kept per pod so that a sync can tell in O(changed keys)
// whether a port list still has any pod. Upstream (reconciler.go reconcileByAddressType) builds this
// on every sync: a pod that passes ShouldPodBeInEndpoints makes its port list desired even when it
// gives no endpoint (no address of the family, node not found), so that list's slices are reconciled
// rather than deleted.

export class PortMapDemand {
  private readonly ofPod = new Map<string, string>();
  private readonly pods = new Map<string, number>();

  /** Records the port list a pod wants (undefined: the pod is not in the endpoints at all). */
  set(key: string, portKey: string | undefined): void {
    const old = this.ofPod.get(key);
    if (old === portKey) return;
    if (old !== undefined) {
      const n = this.pods.get(old)! - 1;
      if (n === 0) this.pods.delete(old);
      else this.pods.set(old, n);
      this.ofPod.delete(key);
    }
    if (portKey === undefined) return;
    this.ofPod.set(key, portKey);
    this.pods.set(portKey, (this.pods.get(portKey) ?? 0) + 1);
  }

  /** Whether some pod wants this port list. */
  has(portKey: string): boolean {
    return this.pods.has(portKey);
  }
}
