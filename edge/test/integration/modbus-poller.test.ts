import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { MeterSimulator } from '../../sim/meter.js';
import { loadBuiltinProfile } from '../../src/devices/modbus/index.js';
import { freePort } from '../helpers/free-port.js';
import { startSimulatedMeter } from '../helpers/modbus-meter.js';
import { modbusDevice, startModbusPoller } from '../helpers/modbus-poller.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

/** Accepts TCP connections and never answers, like a hung Modbus gateway. */
async function silentServer(): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  );
  return (server.address() as AddressInfo).port;
}

function userProfile(lines: string[]): string {
  const file = join(tempDir(), 'meter.yaml');
  writeFileSync(file, [...lines, ''].join('\n'));
  return file;
}

describe('Modbus TCP poller against the meter simulator', () => {
  it('publishes the values pinned in the meter, exactly, with their units', async () => {
    const { meter, port } = await startSimulatedMeter();
    meter.setValue('voltageL1', 231.5);
    meter.setValue('importActiveEnergy', 1234.5);
    meter.setValue('frequency', 50.25);
    const before = Date.now();
    const { readings } = await startModbusPoller([modbusDevice('meter-1', port)]);

    const reading = await readings.next('a reading', () => true);
    const values = new Map(reading.values.map((v) => [v.name, v]));
    expect(reading).toMatchObject({ deviceId: 'meter-1', quality: 'good', lane: 'bulk' });
    expect(reading.timestampMs).toBeGreaterThanOrEqual(before);
    expect(values.size).toBe(35);
    expect(values.get('voltageL1')).toEqual({ name: 'voltageL1', value: 231.5, unit: 'V' });
    expect(values.get('importActiveEnergy')).toEqual({
      name: 'importActiveEnergy',
      value: 1234.5,
      unit: 'kWh',
    });
    expect(values.get('frequency')).toEqual({ name: 'frequency', value: 50.25, unit: 'Hz' });
    // Unpinned values are the simulator's plausible load, seen through float32 and the
    // profile's precision (0.1 V).
    const voltageL2 = values.get('voltageL2')?.value ?? 0;
    expect(voltageL2).toBeGreaterThan(225);
    expect(voltageL2).toBeLessThan(235);
    expect(voltageL2).toBeCloseTo(meter.getValue('voltageL2'), 1);
  });

  it('rounds each value to the precision of the shipped profile, and leaves energy counters as sent', async () => {
    // Values that never move during the test, so the meter's model is what the poller read.
    const { meter, port } = await startSimulatedMeter({ tickMs: 3_600_000 });
    meter.setValue('voltageL1', 231.57);
    meter.setValue('currentL1', 12.3456);
    meter.setValue('powerFactorL1', -0.98765);
    meter.setValue('activePowerL1', -1234.5);
    meter.setValue('reactivePowerL1', -0.3);
    meter.setValue('frequency', 50.004);
    meter.setValue('importActiveEnergy', 12_345.678);
    const { readings } = await startModbusPoller([modbusDevice('meter-1', port)]);

    const reading = await readings.next('a reading', () => true);
    const values = new Map(reading.values.map((v) => [v.name, v.value]));
    const pinned = ['voltageL1', 'currentL1', 'activePowerL1', 'reactivePowerL1'];
    pinned.push('powerFactorL1', 'frequency', 'importActiveEnergy');
    expect(pinned.map((name) => values.get(name))).toEqual([
      231.6,
      12.346,
      -1234, // a float32 half, rounded up
      0,
      -0.988,
      50,
      Math.fround(12_345.678), // energy: no precision, the float32 as sent
    ]);
    expect(Object.is(values.get('reactivePowerL1'), 0)).toBe(true);
    // Every value: the meter's float32, rounded to 10^-precision where the profile says so.
    const precisions = new Map(
      loadBuiltinProfile('eastron-sdm630').registers.map((r) => [r.name, r.precision]),
    );
    expect(values.size).toBe(35);
    for (const [name, value] of values) {
      const sent = Math.fround(meter.getValue(name));
      const p = precisions.get(name);
      const expected = p === undefined ? sent : Math.round(sent * 10 ** p) / 10 ** p + 0;
      expect([name, value]).toEqual([name, expected]);
    }
  });

  it('rounds after the scale and offset of a user profile', async () => {
    const profile = userProfile([
      'name: test-rounded-meter',
      'source: written for this test',
      'registers:',
      '  - { name: voltage, address: 0, register: holding, data_type: uint16, scale: 0.1, precision: 1, unit: V }',
      '  - { name: current, address: 1, register: holding, data_type: int16, scale: 0.01, offset: 0.5, precision: 1, unit: A }',
      '  - { name: raw, address: 2, register: holding, data_type: uint16, scale: 0.1, unit: V }',
    ]);
    const { meter, port } = await startSimulatedMeter({ profile });
    meter.setValue('voltage', 0.3);
    meter.setValue('current', -122.95);
    meter.setValue('raw', 0.3);
    const { readings } = await startModbusPoller([modbusDevice('dc-1', port, { profile })]);

    const reading = await readings.next('a reading', () => true);
    expect(reading.values.map((v) => [v.name, v.value])).toEqual([
      ['voltage', 0.3],
      ['current', -122.9], // -12345 * 0.01 + 0.5 = -122.95: the half rounds up
      ['raw', 3 * 0.1], // no precision: 0.30000000000000004, as decoded
    ]);
  });

  it('applies scale, offset and byte order of a user profile to integer holding registers', async () => {
    const profile = userProfile([
      'name: test-dc-meter',
      'source: written for this test',
      'registers:',
      '  - { name: voltage, address: 0, register: holding, data_type: uint16, scale: 0.1, unit: V }',
      '  - { name: current, address: 1, register: holding, data_type: int16, scale: 0.01, unit: A }',
      '  - { name: energy, address: 2, register: holding, data_type: uint32, byte_order: CDAB, scale: 0.001, offset: 100, unit: kWh }',
      '  - { name: charge, address: 4, register: holding, data_type: float64, byte_order: DCBA, unit: Ah }',
    ]);
    const { meter, port } = await startSimulatedMeter({ profile });
    meter.setValue('voltage', 750.3);
    meter.setValue('current', -123.45);
    meter.setValue('energy', 98_865.432);
    meter.setValue('charge', 0.1 + 0.2);
    const { readings } = await startModbusPoller([modbusDevice('dc-1', port, { profile })]);

    const reading = await readings.next('a reading', () => true);
    const values = Object.fromEntries(
      reading.values.map((v) => [v.name, [Number(v.value.toFixed(6)), v.unit]]),
    );
    expect(values).toEqual({
      voltage: [750.3, 'V'],
      current: [-123.45, 'A'],
      energy: [98_865.432, 'kWh'],
      charge: [0.3, 'Ah'],
    });
    expect(reading.values.find((v) => v.name === 'charge')?.value).toBe(0.1 + 0.2);
  });

  it('marks a dead device degraded then offline, logged once each, while the healthy one keeps its rate', async () => {
    const { port } = await startSimulatedMeter();
    const deadPort = await freePort();
    const { poller, readings, logs, registry } = await startModbusPoller([
      modbusDevice('meter-ok', port),
      modbusDevice('meter-dead', deadPort),
    ]);

    const isChange = (to: string) => (l: { msg: string; deviceId?: string; to?: string }) =>
      l.msg === 'modbus device status changed' && l.deviceId === 'meter-dead' && l.to === to;
    const degraded = await logs.next('meter-dead degraded', isChange('degraded'));
    const offline = await logs.next('meter-dead offline', isChange('offline'));
    expect(degraded).toMatchObject({ from: 'ok', consecutiveFailures: 1 });
    expect(offline).toMatchObject({ from: 'degraded', consecutiveFailures: 3 });
    expect(logs.items.indexOf(degraded)).toBeLessThan(logs.items.indexOf(offline));

    const before = readings.items.length;
    await readings.next('eleven more readings', () => readings.items.length >= before + 11, {
      from: before,
    });
    const stamps = readings.items.slice(before, before + 11).map((r) => r.timestampMs);
    const meanIntervalMs = ((stamps.at(-1) ?? 0) - (stamps[0] ?? 0)) / 10;
    // Polls are due every 100 ms; the dead neighbour must not stretch that by more than 10 %.
    expect(meanIntervalMs).toBeGreaterThanOrEqual(90);
    expect(meanIntervalMs).toBeLessThanOrEqual(110);
    expect(readings.items.every((r) => r.deviceId === 'meter-ok')).toBe(true);

    const dead = poller.statuses().find((s) => s.deviceId === 'meter-dead');
    expect(dead).toMatchObject({
      status: 'offline',
      lastError: expect.stringMatching(/^error: .*ECONNREFUSED/) as unknown,
    });
    expect(dead?.consecutiveFailures).toBeGreaterThan(3);
    expect(poller.statuses().find((s) => s.deviceId === 'meter-ok')).toEqual({
      deviceId: 'meter-ok',
      status: 'ok',
      consecutiveFailures: 0,
      lastReadingAtMs: readings.items.at(-1)?.timestampMs,
    });
    // Further failures are counted, not logged.
    expect(
      logs.items.filter(
        (l) => l.deviceId === 'meter-dead' && l.msg === 'modbus device status changed',
      ),
    ).toHaveLength(2);
    const metrics = await registry.metrics();
    expect(metrics).toMatch(
      /coupler_modbus_requests_total\{device="meter-dead",result="error"\} ([4-9]|\d\d)/,
    );
    expect(metrics).toMatch(/coupler_modbus_requests_total\{device="meter-ok",result="ok"\} \d+/);
    expect(metrics).toContain('coupler_device_status{device="meter-dead",status="offline"} 1');
    expect(metrics).toContain('coupler_device_status{device="meter-dead",status="ok"} 0');
    expect(metrics).toContain('coupler_device_status{device="meter-ok",status="ok"} 1');
    expect(metrics).toMatch(
      /coupler_modbus_request_duration_seconds_count\{device="meter-ok"\} \d+/,
    );
  });

  it('comes back to ok, logged once, when an offline device answers again', async () => {
    const port = await freePort();
    const { poller, readings, logs } = await startModbusPoller([modbusDevice('meter-late', port)]);
    await logs.next(
      'meter-late offline',
      (l) => l.msg === 'modbus device status changed' && l.to === 'offline',
    );

    const meter = new MeterSimulator({ port });
    onTestFinished(() => meter.stop());
    await meter.start();
    await readings.next('a reading after the meter came up', () => true);
    const back = await logs.next('meter-late ok', (l) => l.msg === 'modbus device ok');
    expect(back).toMatchObject({ deviceId: 'meter-late', from: 'offline', to: 'ok' });
    expect(poller.statuses()).toEqual([
      expect.objectContaining({ deviceId: 'meter-late', status: 'ok', consecutiveFailures: 0 }),
    ]);
    expect(poller.statuses()[0]).not.toHaveProperty('lastError');
  });

  it('counts a device that accepts the connection but never answers as a timeout', async () => {
    const port = await silentServer();
    const { poller, logs, registry } = await startModbusPoller([
      modbusDevice('meter-hung', port, { timeoutMs: 100 }),
    ]);
    await logs.next(
      'meter-hung degraded',
      (l) => l.msg === 'modbus device status changed' && l.to === 'degraded',
    );
    expect(poller.statuses()[0]).toMatchObject({
      status: 'degraded',
      lastError: expect.stringMatching(
        /^timeout: no answer from unit 1 at 127\.0\.0\.1:\d+ within 100 ms$/,
      ) as unknown,
    });
    expect(await registry.metrics()).toMatch(
      /coupler_modbus_requests_total\{device="meter-hung",result="timeout"\} [1-9]/,
    );
  });

  it('counts an exception response as an exception, and reads nothing from that poll', async () => {
    const profile = userProfile([
      'name: wrong-map',
      'source: an SDM630 map with one address the meter does not have',
      'registers:',
      '  - { name: voltageL1, address: 0, register: input, data_type: float32, unit: V }',
      '  - { name: nothing, address: 600, register: input, data_type: float32, unit: V }',
    ]);
    const { port } = await startSimulatedMeter();
    const { poller, readings, logs, registry } = await startModbusPoller([
      modbusDevice('meter-x', port, { profile }),
    ]);
    await logs.next(
      'meter-x degraded',
      (l) => l.msg === 'modbus device status changed' && l.to === 'degraded',
    );
    expect(poller.statuses()[0]?.lastError).toMatch(/^exception: .*Illegal data address/i);
    const metrics = await registry.metrics();
    expect(metrics).toMatch(
      /coupler_modbus_requests_total\{device="meter-x",result="exception"\} [1-9]/,
    );
    expect(metrics).toMatch(/coupler_modbus_requests_total\{device="meter-x",result="ok"\} [1-9]/);
    expect(readings.items).toEqual([]);
  });

  it('stops idempotently, closing its connection, and publishes nothing after stop()', async () => {
    const { meter, port } = await startSimulatedMeter();
    const { poller, readings } = await startModbusPoller([
      modbusDevice('meter-1', port, { pollIntervalMs: 20 }),
    ]);
    await readings.next('a reading', () => true);
    expect(meter.clientCount).toBe(1);
    await Promise.all([poller.stop(), poller.stop()]);
    const count = readings.items.length;
    await waitFor('the meter to see the poller hang up', () => meter.clientCount === 0, 5000);
    await poller.stop();
    expect(readings.items).toHaveLength(count);
  });

  it('takes new devices live, keeps polling the old ones when a new profile cannot be found, and hangs up on removed ones', async () => {
    const first = await startSimulatedMeter();
    const second = await startSimulatedMeter();
    const { poller, readings, registry } = await startModbusPoller([
      modbusDevice('meter-1', first.port),
    ]);
    await readings.next('a reading of meter-1', (r) => r.deviceId === 'meter-1');

    await expect(
      poller.reconfigure({
        devices: [modbusDevice('meter-2', second.port, { profile: 'no-such-profile' })],
        profileDirs: [tempDir()],
      }),
    ).rejects.toThrow('profile: is neither in the profile folders');
    const from = readings.items.length;
    await readings.next('meter-1 still polled', (r) => r.deviceId === 'meter-1', { from });
    expect(poller.statuses().map((s) => s.deviceId)).toEqual(['meter-1']);

    await poller.reconfigure({ devices: [modbusDevice('meter-2', second.port)], profileDirs: [] });
    await readings.next('a reading of meter-2', (r) => r.deviceId === 'meter-2');
    await waitFor('meter-1 to see the poller hang up', () => first.meter.clientCount === 0, 5000);
    expect(poller.statuses().map((s) => s.deviceId)).toEqual(['meter-2']);
    expect(await registry.getSingleMetricAsString('coupler_device_status')).not.toContain(
      'meter-1',
    );
  });
});

describe('Modbus poll intervals per register group', () => {
  it('reads a slow group every fifth poll of a device polled every 100 ms', async () => {
    const profile = userProfile([
      'name: slow-energy',
      'source: written for this test',
      'registers:',
      '  - { name: voltageL1, address: 0, register: input, data_type: float32, unit: V }',
      '  - { name: importActiveEnergy, address: 0x48, register: input, data_type: float32, unit: kWh, poll_interval_ms: 500 }',
    ]);
    const { port } = await startSimulatedMeter({ profile });
    const { readings } = await startModbusPoller([
      modbusDevice('meter-1', port, { profile, pollIntervalMs: 100 }),
    ]);
    await readings.next('20 readings', () => readings.items.length >= 20, { timeoutMs: 10_000 });
    const withEnergy = readings.items
      .slice(0, 20)
      .map((r) => r.values.some((v) => v.name === 'importActiveEnergy'));
    expect(
      readings.items.slice(0, 20).every((r) => r.values.some((v) => v.name === 'voltageL1')),
    ).toBe(true);
    // The first poll reads everything, then about one in five (timers may shift one poll).
    expect(withEnergy[0]).toBe(true);
    expect(withEnergy.filter(Boolean).length).toBeGreaterThanOrEqual(3);
    expect(withEnergy.filter(Boolean).length).toBeLessThanOrEqual(5);
  });
});
