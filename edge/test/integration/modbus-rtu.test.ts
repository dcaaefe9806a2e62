import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import { SerialPort } from 'serialport';
import { crc16Modbus } from '../../src/lib/index.js';
import { describe, expect, it } from 'vitest';
import type { ModbusDeviceConfig, RtuBusOptions } from '../../src/devices/modbus/index.js';
import { startRtuLine } from '../helpers/rtu-line.js';
import { freePort } from '../helpers/free-port.js';
import { modbusDevice, startModbusPoller } from '../helpers/modbus-poller.js';
import { startPymodbusRtu, startPymodbusTcp } from '../helpers/pymodbus-meter.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

// The registers test/peers/pymodbus_meter.py serves, as a user profile.
const PEER_PROFILE = [
  'name: pymodbus-peer',
  'source: test/peers/pymodbus_meter.py',
  'registers:',
  '  - { name: floatAbcd, address: 0, register: input, data_type: float32, byte_order: ABCD }',
  '  - { name: floatCdab, address: 2, register: input, data_type: float32, byte_order: CDAB }',
  '  - { name: int32Abcd, address: 4, register: input, data_type: int32, byte_order: ABCD }',
  '  - { name: int32Cdab, address: 6, register: input, data_type: int32, byte_order: CDAB }',
  '  - { name: unitEcho, address: 8, register: input, data_type: uint16 }',
  '',
];

/** An answer to a read of `words.length` input registers, with its CRC. */
function answerFrame(unitId: number, words: number[]): Buffer {
  const frame = Buffer.alloc(5 + words.length * 2);
  frame.writeUInt8(unitId, 0);
  frame.writeUInt8(0x04, 1);
  frame.writeUInt8(words.length * 2, 2);
  words.forEach((word, i) => frame.writeUInt16BE(word, 3 + i * 2));
  frame.writeUInt16LE(crc16Modbus(frame, 0, frame.length - 2), frame.length - 2);
  return frame;
}

/** A user profile folder with the peer's register map, and one with an address the peer lacks. */
function peerProfiles(dir: string): string[] {
  const profileDir = join(dir, 'profiles');
  mkdirSync(profileDir);
  writeFileSync(join(profileDir, 'pymodbus-peer.yaml'), PEER_PROFILE.join('\n'));
  writeFileSync(
    join(profileDir, 'pymodbus-missing.yaml'),
    [
      'name: pymodbus-missing',
      'source: an address the peer does not serve',
      'registers:',
      '  - { name: nothing, address: 50, register: input }',
      '',
    ].join('\n'),
  );
  return [profileDir];
}

async function rtuRig(units: number[]) {
  const dir = tempDir('coupler-rtu-');
  const profileDirs = peerProfiles(dir);
  const pty = await startRtuLine(dir);
  const peer = units.length > 0 ? await startPymodbusRtu(pty.meterPath, units) : undefined;
  const bus: RtuBusOptions = {
    id: 'rtu0',
    path: pty.gatewayPath,
    baudRate: 9600,
    dataBits: 8,
    parity: 'none',
    stopBits: 1,
    turnaroundDelayMs: 0,
    reopenIntervalMs: 100,
  };
  return { pty, peer, bus, profileDirs };
}

function rtuDevice(
  id: string,
  unitId: number,
  overrides: Partial<ModbusDeviceConfig> = {},
): ModbusDeviceConfig {
  return {
    id,
    profile: 'pymodbus-peer',
    transport: 'rtu',
    bus: 'rtu0',
    unitId,
    pollIntervalMs: 100,
    timeoutMs: 150,
    ...overrides,
  };
}

async function counter(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const values = (metric?.values ?? []) as { labels: Record<string, unknown>; value: number }[];
  return (
    values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value ?? 0
  );
}

/** Readings per second of one device between its first and last reading. */
function rate(timestamps: number[]): number {
  const first = timestamps[0] ?? 0;
  const last = timestamps.at(-1) ?? 0;
  return ((timestamps.length - 1) * 1000) / (last - first);
}

describe('Modbus RTU (socat pty pair) and TCP against Debian pymodbus', () => {
  it('reads exactly the float32 and int32 values pymodbus serves, in both word orders', async () => {
    const { bus, profileDirs } = await rtuRig([1]);
    const { readings } = await startModbusPoller([rtuDevice('meter-1', 1)], {
      buses: [bus],
      profileDirs,
    });

    const reading = await readings.next('a reading over RTU', () => true);
    expect(reading).toMatchObject({ deviceId: 'meter-1', quality: 'good', lane: 'bulk' });
    expect(Object.fromEntries(reading.values.map((v) => [v.name, v.value]))).toEqual({
      floatAbcd: Math.fround(230.1),
      floatCdab: -12.25,
      int32Abcd: -123456789,
      int32Cdab: 1234567890,
      unitEcho: 1,
    });
  });

  it('reads the same values over Modbus TCP from pymodbus, unit id by unit id', async () => {
    const profileDirs = peerProfiles(tempDir('coupler-tcp-'));
    const port = await freePort();
    await startPymodbusTcp(port, [1, 2]);
    const { readings } = await startModbusPoller(
      [
        modbusDevice('tcp-1', port, { profile: 'pymodbus-peer', unitId: 1 }),
        modbusDevice('tcp-2', port, { profile: 'pymodbus-peer', unitId: 2 }),
      ],
      { profileDirs },
    );
    for (const [deviceId, unitId] of [
      ['tcp-1', 1],
      ['tcp-2', 2],
    ] as const) {
      const reading = await readings.next(
        `a reading of ${deviceId}`,
        (r) => r.deviceId === deviceId,
      );
      expect(Object.fromEntries(reading.values.map((v) => [v.name, v.value]))).toEqual({
        floatAbcd: Math.fround(230.1),
        floatCdab: -12.25,
        int32Abcd: -123456789,
        int32Cdab: 1234567890,
        unitEcho: unitId,
      });
    }
  });

  it('keeps the poll rate of healthy units within 10% while another unit on the bus is dead', async () => {
    const { bus, profileDirs } = await rtuRig([1, 2]);
    const { poller, readings, registry, logs } = await startModbusPoller(
      [rtuDevice('meter-1', 1), rtuDevice('meter-2', 2), rtuDevice('dead-3', 3)],
      { buses: [bus], profileDirs },
    );
    await waitFor(
      'the dead unit to go offline',
      () => poller.statuses().find((s) => s.deviceId === 'dead-3')?.status === 'offline',
    );
    const windowStart = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 4000));
    for (const [id, unit] of [
      ['meter-1', 1],
      ['meter-2', 2],
    ] as const) {
      const stamps = readings.items
        .filter((r) => r.deviceId === id && r.timestampMs >= windowStart)
        .map((r) => r.timestampMs);
      // Configured: one poll per 100 ms = 10/s.
      expect(rate(stamps)).toBeGreaterThan(9);
      expect(rate(stamps)).toBeLessThan(11);
      expect(
        readings.items
          .filter((r) => r.deviceId === id)
          .every((r) => r.values.at(-1)?.value === unit),
      ).toBe(true);
      // Serialised frames: no answer was ever lost or garbled by an overlapping request.
      for (const result of ['timeout', 'crc', 'error', 'exception'])
        expect(
          await counter(registry, 'coupler_modbus_requests_total', { device: id, result }),
        ).toBe(0);
    }
    expect(readings.items.some((r) => r.deviceId === 'dead-3')).toBe(false);
    expect(
      await counter(registry, 'coupler_modbus_requests_total', {
        device: 'dead-3',
        result: 'timeout',
      }),
    ).toBeGreaterThanOrEqual(4);
    // The first failure was retried once (the unit was ok); after that one attempt per poll.
    expect(await counter(registry, 'coupler_modbus_retries_total', { device: 'dead-3' })).toBe(1);
    const changes = logs.items.filter(
      (l) => l.msg === 'modbus device status changed' && l.deviceId === 'dead-3',
    );
    expect(changes.map((l) => l.to)).toEqual(['degraded', 'offline']);
  });

  it('counts an exception answer without retrying it, and the device turns degraded', async () => {
    const { bus, profileDirs } = await rtuRig([1]);
    const { poller, registry } = await startModbusPoller(
      [rtuDevice('meter-1', 1), rtuDevice('wrong-map', 1, { profile: 'pymodbus-missing' })],
      { buses: [bus], profileDirs },
    );
    const status = await waitFor('wrong-map to fail', () =>
      poller.statuses().find((s) => s.deviceId === 'wrong-map' && s.status !== 'ok'),
    );
    expect(status.lastError).toBe('exception: unit 1 answered exception 2');
    expect(await counter(registry, 'coupler_modbus_retries_total', { device: 'wrong-map' })).toBe(
      0,
    );
    expect(poller.statuses().find((s) => s.deviceId === 'meter-1')?.status).toBe('ok');
  });

  it('counts a CRC error and retries; after noise on the line it resynchronises on the next valid frame', async () => {
    const { pty, bus, profileDirs } = await rtuRig([]);
    // Our own bytes on the meter end of the pty, to corrupt answers on demand.
    const meter = new SerialPort({ path: pty.meterPath, baudRate: 9600, autoOpen: false });
    await new Promise<void>((resolve, reject) => {
      meter.open((err) => {
        if (err) reject(err);
        else resolve();
      });
    });
    const requests: string[] = [];
    const good = answerFrame(1, [0x4366, 0x199a, 0, 0, 0, 0, 0, 0, 1]);
    meter.on('data', (chunk: Buffer) => {
      requests.push(chunk.toString('hex'));
      if (requests.length === 1) {
        const corrupted = Buffer.from(good);
        corrupted[5] = (corrupted[5] ?? 0) ^ 0x01;
        meter.write(corrupted);
      } else {
        meter.write(Buffer.concat([Buffer.from([0xff, 0x00, 0x13, 0x01]), good]));
      }
    });
    const closed = new Promise<void>((resolve) => {
      meter.once('close', () => {
        resolve();
      });
    });
    const { poller, readings, registry } = await startModbusPoller(
      [rtuDevice('meter-1', 1, { pollIntervalMs: 60_000 })],
      { buses: [bus], profileDirs },
    );

    const reading = await readings.next('a reading', () => true);
    expect(reading.values[0]?.value).toBe(Math.fround(230.1));
    // The same request twice: 01 04 0000 0009 + CRC.
    expect(requests).toEqual(['010400000009300c', '010400000009300c']);
    expect(
      await counter(registry, 'coupler_modbus_requests_total', {
        device: 'meter-1',
        result: 'crc',
      }),
    ).toBe(1);
    expect(
      await counter(registry, 'coupler_modbus_requests_total', { device: 'meter-1', result: 'ok' }),
    ).toBe(1);
    expect(await counter(registry, 'coupler_modbus_retries_total', { device: 'meter-1' })).toBe(1);
    expect(poller.statuses()[0]?.status).toBe('ok');
    meter.close();
    await closed;
  });

  it('reopens the port after it disappears and returns, and the device is ok again', async () => {
    const { pty, peer, bus, profileDirs } = await rtuRig([1]);
    const { poller, readings, registry, logs } = await startModbusPoller(
      [rtuDevice('meter-1', 1)],
      { buses: [bus], profileDirs },
    );
    await readings.next('a reading before the unplug', () => true);

    await peer?.stop();
    await pty.unplug();
    await waitFor('the device to go offline', () => poller.statuses()[0]?.status === 'offline');
    expect(await counter(registry, 'coupler_modbus_bus_open', { bus: 'rtu0' })).toBe(0);

    await pty.plug();
    await startPymodbusRtu(pty.meterPath, [1]);
    const since = readings.items.length;
    await readings.next('a reading after the replug', () => true, { from: since });
    expect(poller.statuses()[0]?.status).toBe('ok');
    expect(await counter(registry, 'coupler_modbus_bus_open', { bus: 'rtu0' })).toBe(1);
    expect(await counter(registry, 'coupler_modbus_bus_opens_total', { bus: 'rtu0' })).toBe(2);
    expect(logs.items.filter((l) => l.msg === 'modbus serial port lost')).toHaveLength(1);
    expect(logs.items.filter((l) => l.msg === 'modbus device ok')).toHaveLength(1);
  });
});
