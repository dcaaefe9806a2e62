import { TOPIC_ROOT } from './topics.js';

const DOLLAR = 0x24;

export type BusRole = 'device' | 'service' | 'observer';

/** Who a connected client is: its role and the name its ACL refers to (Mosquitto's %u). */
export interface Principal {
  role: BusRole;
  /** The user name; for an anonymous device in development mode, its client id. */
  name: string;
}

/**
 * Topic ACLs (Mosquitto's `pattern readwrite coupler/v1/devices/%u/#`): a device only under its
 * own id, the gateway's services everywhere, observers read only. `$` topics (aedes' $SYS) are
 * the broker's own and nobody publishes or subscribes there. Built once per connection, so the
 * check on every PUBLISH is two prefix tests on strings made at CONNECT.
 */
export class TopicAcl {
  /** `coupler/v1/devices/<name>/` for a device; a device's topics and filters go below it. */
  private readonly deviceRoot: string;

  constructor(readonly principal: Principal) {
    this.deviceRoot = `${TOPIC_ROOT}/devices/${principal.name}/`;
  }

  mayPublish(topic: string): boolean {
    if (topic.charCodeAt(0) === DOLLAR) return false;
    switch (this.principal.role) {
      case 'service':
        return true;
      case 'observer':
        return false;
      case 'device':
        return this.isBelowDeviceRoot(topic);
    }
  }

  /** A device's filter must start with its own literal root, so no wildcard can reach another device. */
  maySubscribe(filter: string): boolean {
    if (filter.charCodeAt(0) === DOLLAR) return false;
    switch (this.principal.role) {
      case 'service':
      case 'observer':
        return true;
      case 'device':
        return this.isBelowDeviceRoot(filter);
    }
  }

  private isBelowDeviceRoot(topic: string): boolean {
    return topic.length > this.deviceRoot.length && topic.startsWith(this.deviceRoot);
  }
}
