// A service's port list when no port is named: every pod resolves it alike, so one list (never
// mutated) serves every pod of the service, in either controller's port type.
import type { Pod, Service } from '../model/cluster.js';

export interface SharedPorts<P> {
  ports: P[];
  portKey: string;
}

/** The shared list of a service (null when a port is named and each pod resolves its own), made once per service. */
export function sharedPortLists<P>(resolve: (service: Service, pod: Pod) => P[], keyOf: (ports: P[]) => string): (service: Service) => SharedPorts<P> | null {
  const lists = new WeakMap<Service, SharedPorts<P> | null>();
  return (service) => {
    let shared = lists.get(service);
    if (shared === undefined) {
      const numeric = service.ports.every((sp) => typeof sp.targetPort === 'number');
      const ports = numeric ? resolve(service, {} as Pod) : [];
      lists.set(service, (shared = numeric ? { ports, portKey: keyOf(ports) } : null));
    }
    return shared;
  };
}
