import { describe, expect, it } from 'vitest';
import type { Hello } from './messages.js';
import { admitDevice } from './provisioning.js';

const hello = (overrides: Partial<Hello>): Hello => ({
  type: 'hello',
  protocolVersion: 1,
  firmwareVersion: '0.1.0',
  capabilities: 7,
  bootCount: 4,
  uptimeMs: 10,
  oldestHeldSequence: 1,
  nextSequence: 1,
  intervalMs: 1000,
  channelMask: 0x3f,
  digitalMask: 0,
  badFramesReceived: 0,
  readingsSkipped: 0,
  deviceId: 'car1-doors',
  ...overrides,
});
const desired = { deviceId: 'car1-doors', intervalMs: 1000, channelMask: 0x3f };

describe('admitDevice', () => {
  it('gives a device without identity the configured one before taking its readings', () => {
    expect(admitDevice(hello({ deviceId: '' }), desired)).toEqual({ kind: 'provision', settings: { deviceId: 'car1-doors', intervalMs: 1000, channelMask: 0x3f, digitalMask: 0 } });
  });

  it('serves a known device, and reconfigures it (keeping its id) when its interval or channels differ', () => {
    expect(admitDevice(hello({}), desired)).toEqual({ kind: 'accept' });
    expect(admitDevice(hello({ digitalMask: 1 << 4 }), { ...desired, digitalMask: 1 << 4 })).toEqual({ kind: 'accept' });
    expect(admitDevice(hello({ intervalMs: 50, channelMask: 0x01 }), desired)).toEqual({ kind: 'accept', reconfigure: { deviceId: '', intervalMs: 1000, channelMask: 0x3f, digitalMask: 0 } });
  });

  it('refuses another device on the configured port, naming both ids', () => {
    expect(admitDevice(hello({ deviceId: 'car2-doors' }), desired)).toEqual({ kind: 'refuse', reason: 'the device on this port is car2-doors, the configuration expects car1-doors' });
  });
});
