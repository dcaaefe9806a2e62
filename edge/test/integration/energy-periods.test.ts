import { join } from 'node:path';
import { Registry } from 'prom-client';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createLogger } from '@coupler/kit';
import { createModbusPoller } from '../../src/devices/modbus/index.js';
import { EnergyPeriods, PeriodFlag, TimeQuality } from '../../src/energy/index.js';
import type { Reading } from '../../src/records/index.js';
import { FakePositionSource } from '../fakes/position.js';
import { startSimulatedMeter } from '../helpers/modbus-meter.js';
import { Collected, modbusDevice } from '../helpers/modbus-poller.js';
import { tempDir } from '../helpers/temp-dir.js';

const logger = createLogger({ name: 'test', level: 'silent' });

function valueOf(reading: Reading, name: string): number | undefined {
  return reading.values.find((v) => v.name === name)?.value;
}

describe('energy periods from the meter simulator over Modbus TCP', () => {
  it('compiles each 5-minute period exactly across a counter reset and a gateway restart', async () => {
    // The wall clock is injected: the test moves it, so periods pass without waiting 5 minutes.
    let nowMs = Date.parse('2026-01-01T12:04:58.000Z');
    const clock = () => nowMs;
    const { meter, port } = await startSimulatedMeter({ now: clock, tickMs: 50 });
    const stateFile = join(tempDir(), 'energy-periods.json');
    const readings = new Collected<Reading>();
    const records = new Collected<Reading>();
    const position = new FakePositionSource();
    position.set({ latitudeDeg: 47.3769, longitudeDeg: 8.5417, atMs: nowMs });

    /** The part of the gateway under test: poller -> energy periods -> billing records. */
    async function startGateway() {
      const registry = new Registry();
      const energy = new EnergyPeriods(
        {
          meters: [
            {
              deviceId: 'meter-1',
              importSignal: 'importActiveEnergy',
              exportSignal: 'exportActiveEnergy',
              maxPowerKw: 10_000,
            },
          ],
          boundaryToleranceMs: 5000,
          stateFile,
        },
        {
          logger,
          registry,
          publish: (record) => {
            records.push(record);
            return Promise.resolve();
          },
          clock: { isSynchronised: () => true },
          position,
        },
      );
      const poller = createModbusPoller(
        { devices: [modbusDevice('meter-1', port, { pollIntervalMs: 50 })] },
        {
          logger,
          registry,
          publish: (reading) => {
            energy.observe(reading);
            readings.push(reading);
            return Promise.resolve();
          },
          now: clock,
        },
      );
      const stop = async () => {
        await poller.stop();
        await energy.stop();
      };
      onTestFinished(stop);
      await energy.start();
      await poller.start();
      return { stop };
    }

    /** The meter's counters take these values, then the clock moves on; resolves once the gateway read them. */
    async function at(iso: string, importKwh: number, exportKwh: number) {
      meter.setValue('importActiveEnergy', importKwh);
      meter.setValue('exportActiveEnergy', exportKwh);
      nowMs = Date.parse(iso);
      await readings.next(
        `a reading of ${importKwh} kWh at ${iso}`,
        (r) =>
          r.timestampMs === nowMs &&
          valueOf(r, 'importActiveEnergy') === importKwh &&
          valueOf(r, 'exportActiveEnergy') === exportKwh,
        { from: readings.items.length },
      );
    }

    let gateway = await startGateway();
    await at('2026-01-01T12:04:58.000Z', 1000, 10);
    await at('2026-01-01T12:05:00.500Z', 1001.5, 10.25);
    await at('2026-01-01T12:07:00.000Z', 1003, 10.5);
    // The meter's counters are reset.
    await at('2026-01-01T12:08:00.000Z', 0.25, 0);
    await at('2026-01-01T12:09:00.000Z', 0.75, 0.125);
    await at('2026-01-01T12:10:00.250Z', 1, 0.25);
    await at('2026-01-01T12:12:00.000Z', 2, 0.25);
    // The gateway stops in the middle of a period; the meter counts on meanwhile.
    await gateway.stop();
    meter.setValue('importActiveEnergy', 2.5);
    nowMs = Date.parse('2026-01-01T12:12:30.000Z');
    gateway = await startGateway();
    await at('2026-01-01T12:13:00.000Z', 3.5, 0.5);
    await at('2026-01-01T12:15:00.100Z', 4, 0.75);
    await records.next(
      'the third period',
      (r) => valueOf(r, 'periodStart') === Date.parse('2026-01-01T12:10:00Z'),
    );

    const periods = records.items.map((r) => ({
      lane: r.lane,
      quality: r.quality,
      at: new Date(r.timestampMs).toISOString(),
      ...Object.fromEntries(r.values.map((v) => [v.name, v.value])),
    }));
    const where = { latitude: 47.3769, longitude: 8.5417 };
    expect(periods).toMatchObject([
      {
        // Began before the gateway's first reading, 298 s after its start.
        lane: 'billing',
        quality: 'uncertain',
        at: '2026-01-01T12:05:00.000Z',
        periodStart: Date.parse('2026-01-01T12:00:00Z'),
        activeEnergyConsumed: 1.5,
        activeEnergyRegenerated: 0.25,
        importCounterStart: 1000,
        importCounterEnd: 1001.5,
        startReadingAt: Date.parse('2026-01-01T12:04:58.000Z'),
        endReadingAt: Date.parse('2026-01-01T12:05:00.500Z'),
        timeQuality: TimeQuality.offBoundary,
        flags: PeriodFlag.incompleteStart,
        ...where,
      },
      {
        // 1001.5 -> 1003 before the reset, 0.25 -> 1 after it.
        lane: 'billing',
        quality: 'uncertain',
        periodStart: Date.parse('2026-01-01T12:05:00Z'),
        periodEnd: Date.parse('2026-01-01T12:10:00Z'),
        activeEnergyConsumed: 1.5 + 0.75,
        activeEnergyRegenerated: 0.25 + 0.25,
        importCounterStart: 1001.5,
        importCounterEnd: 1,
        exportCounterStart: 10.25,
        exportCounterEnd: 0.25,
        timeQuality: TimeQuality.synchronised,
        flags: PeriodFlag.counterReset,
        ...where,
      },
      {
        // The restart lost no energy: 1 -> 4 by the counters.
        lane: 'billing',
        quality: 'good',
        periodStart: Date.parse('2026-01-01T12:10:00Z'),
        activeEnergyConsumed: 3,
        activeEnergyRegenerated: 0.5,
        importCounterStart: 1,
        importCounterEnd: 4,
        startReadingAt: Date.parse('2026-01-01T12:10:00.250Z'),
        endReadingAt: Date.parse('2026-01-01T12:15:00.100Z'),
        timeQuality: TimeQuality.synchronised,
        flags: PeriodFlag.gatewayRestart,
        ...where,
      },
    ]);
    expect(periods).toHaveLength(3);
  });
});
