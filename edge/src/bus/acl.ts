import { TOPIC_ROOT } from './topics.js';

export type BusRole = 'device' | 'service' | 'observer';

/** Who a connected client is: its role and the name its ACL refers to (Mosquitto's %u). */
export interface Principal {
  role: BusRole;
  /** The user name; for an anonymous device in development mode, its client id. */
  name: string;
}

function deviceRoot(name: string): string {
  return `${TOPIC_ROOT}/devices/${name}/`;
}

/**
 * Topic ACLs (Mosquitto's `pattern readwrite coupler/v1/devices/%u/#`): a device only under its
 * own id, the gateway's services everywhere, observers read only. `$` topics (aedes' $SYS) are
 * the broker's own and nobody publishes or subscribes there.
 */
export function mayPublish(principal: Principal, topic: string): boolean {
  if (topic.startsWith('$')) return false;
  switch (principal.role) {
    case 'service':
      return true;
    case 'observer':
      return false;
    case 'device': {
      const root = deviceRoot(principal.name);
      return topic.startsWith(root) && topic.length > root.length;
    }
  }
}

/** A device's filter must start with its own literal root, so no wildcard can reach another device. */
export function maySubscribe(principal: Principal, filter: string): boolean {
  if (filter.startsWith('$')) return false;
  switch (principal.role) {
    case 'service':
    case 'observer':
      return true;
    case 'device': {
      const root = deviceRoot(principal.name);
      return filter.startsWith(root) && filter.length > root.length;
    }
  }
}
