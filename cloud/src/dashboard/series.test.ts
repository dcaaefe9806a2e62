import { describe, expect, it } from 'vitest';
import type { StoredRecord } from '../records/index.js';
import { deviceSummaries, energyPeriods, signalSeries } from './series.js';

const T0 = Date.UTC(2026, 0, 5, 8, 0);
const FIVE_MIN = 300_000;

function record(sequence: number, fields: Partial<StoredRecord>): StoredRecord {
  return {
    gatewayId: 'g',
    receivedAtMs: 0,
    sequence,
    deviceId: 'm1',
    timestampMs: T0,
    lane: 'bulk',
    quality: 'good',
    values: [],
    ...fields,
  };
}

function period(sequence: number, startMs: number, kwh: number, deviceId = 'm1'): StoredRecord {
  return record(sequence, {
    deviceId,
    lane: 'billing',
    timestampMs: startMs + FIVE_MIN,
    values: [
      { name: 'periodStart', value: startMs, unit: 'ms' },
      { name: 'periodEnd', value: startMs + FIVE_MIN, unit: 'ms' },
      { name: 'activeEnergyConsumed', value: kwh, unit: 'kWh' },
    ],
  });
}

describe('energyPeriods', () => {
  it('keeps one bar per period start (the latest record wins), of the chosen meter, inside [from, to)', () => {
    const records = [
      period(1, T0, 0.5),
      period(2, T0 + FIVE_MIN, 0.7, 'other-meter'),
      period(3, T0 + FIVE_MIN, 0.6),
      period(4, T0 + FIVE_MIN, 0.65),
      period(5, T0 + 2 * FIVE_MIN, 0.9),
      record(6, {
        lane: 'bulk',
        values: [{ name: 'activeEnergyConsumed', value: 99, unit: 'kWh' }],
      }),
    ];
    expect(energyPeriods(records, 'm1', T0, T0 + 2 * FIVE_MIN)).toEqual([
      { startMs: T0, endMs: T0 + FIVE_MIN, consumedKwh: 0.5, quality: 'good' },
      { startMs: T0 + FIVE_MIN, endMs: T0 + 2 * FIVE_MIN, consumedKwh: 0.65, quality: 'good' },
    ]);
  });
});

describe('signalSeries', () => {
  it('downsamples into at most maxPoints buckets with min, max and mean, skipping bad readings', () => {
    const volts = [230, 232, 228, 240, 250];
    const records = volts.map((v, i) =>
      record(i + 1, {
        timestampMs: T0 + i * 1000,
        values: [{ name: 'voltageL1', value: v, unit: 'V' }],
      }),
    );
    records.push(
      record(9, {
        timestampMs: T0 + 1500,
        quality: 'bad',
        values: [{ name: 'voltageL1', value: 0, unit: 'V' }],
      }),
    );
    const series = signalSeries(records, {
      deviceId: 'm1',
      signal: 'voltageL1',
      fromMs: T0,
      toMs: T0 + 6000,
      maxPoints: 2,
    });
    expect(series).toEqual({
      unit: 'V',
      bucketMs: 3000,
      points: [
        { atMs: T0, min: 228, max: 232, mean: 230, count: 3 },
        { atMs: T0 + 3000, min: 240, max: 250, mean: 245, count: 2 },
      ],
    });
  });
});

describe('deviceSummaries', () => {
  it('reports each device with its newest record, its quality, and the signals it sends', () => {
    const records = [
      record(1, {
        deviceId: 'b',
        timestampMs: T0,
        values: [{ name: 'power', value: 1, unit: 'W' }],
      }),
      record(2, {
        deviceId: 'a',
        timestampMs: T0 + 5,
        quality: 'uncertain',
        values: [{ name: 'x', value: 1, unit: '' }],
      }),
      record(3, {
        deviceId: 'b',
        timestampMs: T0 + 9,
        quality: 'bad',
        values: [{ name: 'current', value: 1, unit: 'A' }],
      }),
      period(4, T0, 1, 'b'),
    ];
    expect(deviceSummaries(records)).toEqual([
      {
        deviceId: 'a',
        lastSeenMs: T0 + 5,
        lastQuality: 'uncertain',
        records: 1,
        hasBilling: false,
        signals: ['x'],
      },
      {
        deviceId: 'b',
        lastSeenMs: T0 + FIVE_MIN,
        lastQuality: 'good',
        records: 3,
        hasBilling: true,
        signals: ['current', 'power'],
      },
    ]);
  });
});
