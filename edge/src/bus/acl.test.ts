import { describe, expect, it } from 'vitest';
import { TopicAcl } from './acl.js';

describe('TopicAcl', () => {
  const device = new TopicAcl({ role: 'device', name: 'meter-1' });

  it('lets a device publish and subscribe only below its own root', () => {
    expect(device.mayPublish('coupler/v1/devices/meter-1/telemetry')).toBe(true);
    expect(device.maySubscribe('coupler/v1/devices/meter-1/#')).toBe(true);
    for (const topic of ['coupler/v1/devices/meter-1/', 'coupler/v1/devices/meter-1', 'coupler/v1/devices/meter-10/telemetry', 'coupler/v1/devices/meter-2/telemetry', 'coupler/v1/devices/+/telemetry']) {
      expect(device.mayPublish(topic), topic).toBe(false);
      expect(device.maySubscribe(topic), topic).toBe(false);
    }
    expect(device.maySubscribe('#')).toBe(false);
  });

  it('lets services everywhere and observers read only, and nobody under $', () => {
    const service = new TopicAcl({ role: 'service', name: 'gateway' });
    const observer = new TopicAcl({ role: 'observer', name: 'dashboard' });
    expect(service.mayPublish('coupler/v1/devices/meter-1/commands/relay')).toBe(true);
    expect(observer.mayPublish('coupler/v1/devices/meter-1/telemetry')).toBe(false);
    expect(observer.maySubscribe('coupler/v1/#')).toBe(true);
    for (const acl of [device, service, observer]) {
      expect(acl.mayPublish('$SYS/broker/clients')).toBe(false);
      expect(acl.maySubscribe('$SYS/#')).toBe(false);
    }
  });
});
