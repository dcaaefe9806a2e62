import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createModbusPoller, type ModbusDeviceConfig } from '../../src/devices/modbus/index.js';
import type { Reading } from '../../src/records/index.js';
import { freePort } from '../helpers/free-port.js';
import { silentLogger, testRegistry } from '../helpers/gateway-parts.js';
import { startMeter } from '../helpers/meter.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

function device(id: string, port: number, overrides: Partial<ModbusDeviceConfig> = {}): ModbusDeviceConfig {
  return { id, profile: 'eastron-sdm630', host: '127.0.0.1', port, unitId: 1, pollIntervalMs: 100, timeoutMs: 300, ...overrides };
}

function startPoller(devices: ModbusDeviceConfig[]) {
  const readings: Reading[] = [];
  const registry = testRegistry();
  const poller = createModbusPoller({ devices }, { logger: silentLogger(), registry, publish: (reading) => { readings.push(reading); return Promise.resolve(); } });
  onTestFinished(() => poller.stop());
  void poller.start();
  return { poller, readings, registry };
}

describe('Modbus TCP poller against the meter simulator', () => {
  it('publishes the values written into the meter, with their units', async () => {
    const { meter, port } = await startMeter();
    meter.setValue('voltageL1', 231.5);
    meter.setValue('importActiveEnergy', 1234.5);
    meter.setValue('frequency', 50.25);
    const { readings } = startPoller([device('meter-1', port)]);

    const [reading] = await waitFor('a reading', () => (readings.length > 0 ? readings : undefined));
    const values = new Map(reading?.values.map((v) => [v.name, v]));
    expect(reading).toMatchObject({ deviceId: 'meter-1', quality: 'good', lane: 'bulk' });
    expect(values.size).toBe(35);
    expect(values.get('voltageL1')).toEqual({ name: 'voltageL1', value: 231.5, unit: 'V' });
    expect(values.get('importActiveEnergy')).toEqual({ name: 'importActiveEnergy', value: 1234.5, unit: 'kWh' });
    expect(values.get('frequency')).toEqual({ name: 'frequency', value: 50.25, unit: 'Hz' });
  });

  it('applies scale and offset of a user profile to integer registers', async () => {
    const profile = join(tempDir(), 'dc-meter.yaml');
    writeFileSync(
      profile,
      [
        'name: test-dc-meter',
        'source: written for this test',
        'registers:',
        '  - { name: voltage, address: 0, register: holding, data_type: uint16, scale: 0.1, unit: V }',
        '  - { name: current, address: 1, register: holding, data_type: int16, scale: 0.01, unit: A }',
        '  - { name: energy, address: 2, register: holding, data_type: uint32, byte_order: CDAB, scale: 0.001, offset: 100, unit: kWh }',
        '',
      ].join('\n'),
    );
    const { meter, port } = await startMeter({ profile });
    meter.setValue('voltage', 750.3);
    meter.setValue('current', -123.45);
    meter.setValue('energy', 98_865.432);
    const { readings } = startPoller([device('dc-1', port, { profile })]);

    const [reading] = await waitFor('a reading', () => (readings.length > 0 ? readings : undefined));
    const values = Object.fromEntries(reading?.values.map((v) => [v.name, [Number(v.value.toFixed(6)), v.unit]]) ?? []);
    expect(values).toEqual({ voltage: [750.3, 'V'], current: [-123.45, 'A'], energy: [98_865.432, 'kWh'] });
  });

  it('marks a dead device degraded then offline while the healthy one keeps its rate', async () => {
    const { port } = await startMeter();
    const deadPort = await freePort();
    const { poller, readings, registry } = startPoller([device('meter-ok', port, { pollIntervalMs: 100 }), device('meter-dead', deadPort, { pollIntervalMs: 100 })]);

    await waitFor('the dead meter to go offline', () => poller.statuses().find((s) => s.deviceId === 'meter-dead')?.status === 'offline', 10_000);
    const before = readings.length;
    await waitFor('ten more readings from the healthy meter', () => readings.length >= before + 11, 10_000);
    const polls = readings.slice(before, before + 11).map((r) => r.timestampMs);
    const meanIntervalMs = ((polls.at(-1) ?? 0) - (polls[0] ?? 0)) / 10;
    // Polls are due every 100 ms; the dead neighbour must not stretch that by more than 10 %.
    expect(meanIntervalMs).toBeLessThanOrEqual(110);
    expect(readings.every((r) => r.deviceId === 'meter-ok')).toBe(true);
    expect(poller.statuses().find((s) => s.deviceId === 'meter-ok')?.status).toBe('ok');
    const metrics = await registry.metrics();
    expect(metrics).toMatch(/coupler_modbus_requests_total\{device="meter-dead",result="error"\} [3-9]/);
    expect(metrics).toContain('coupler_device_status{device="meter-dead",status="offline"} 1');
  });
});
