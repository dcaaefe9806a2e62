import { describe, expect, it } from 'vitest';
import { openTempStore } from '../../test/helpers/lmdb-store.js';
import type { Quality, TelemetryRecord } from '../records/index.js';
import { queryTelemetry, type TelemetryQuery } from './query.js';

const reading = (sequence: number, timestampMs: number, voltage: number, quality: Quality = 'good', deviceId = 'm1'): TelemetryRecord => ({
  sequence,
  deviceId,
  timestampMs,
  lane: 'bulk',
  quality,
  values: [
    { name: 'voltage', value: voltage, unit: 'V' },
    { name: 'current', value: voltage / 100, unit: 'A' },
  ],
});

const query = (overrides: Partial<TelemetryQuery>): TelemetryQuery => ({
  gatewayId: 'gw-1', deviceId: '', signals: [], fromMs: 0, toMs: 1000, stepMs: 0, pageSize: 0, pageToken: '', ...overrides,
});

describe('queryTelemetry', () => {
  it('downsamples into buckets of min, max, mean, count and last, leaving bad values out', async () => {
    const store = await openTempStore();
    await store.storeRecords('gw-1', [
      reading(1, 100, 230),
      reading(2, 150, 240),
      // Same timestamp, higher sequence: the last of the bucket.
      reading(4, 150, 236),
      reading(3, 120, 900, 'bad'),
      reading(5, 260, 220, 'uncertain'),
      reading(6, 350, 210, 'good', 'm2'),
      reading(7, 400, 500), // at toMs: outside
    ], 1);
    const result = await queryTelemetry(store, query({ deviceId: 'm1', signals: ['voltage'], fromMs: 100, toMs: 400, stepMs: 100 }));
    expect(result).toEqual({
      nextPageToken: '',
      series: [{
        deviceId: 'm1', signal: 'voltage', unit: 'V', points: [],
        buckets: [
          { startMs: 100, min: 230, max: 240, mean: (230 + 240 + 236) / 3, count: 3, last: 236, lastTimestampMs: 150 },
          { startMs: 200, min: 220, max: 220, mean: 220, count: 1, last: 220, lastTimestampMs: 260 },
        ],
      }],
    });
  });

  it('pages raw points of every device and signal, each with its quality and sequence', async () => {
    const store = await openTempStore();
    await store.storeRecords('gw-1', [reading(1, 10, 230), reading(2, 20, 231, 'bad', 'm2'), reading(3, 30, 232)], 1);
    const first = await queryTelemetry(store, query({ pageSize: 2 }));
    expect(first.series.map((s) => [s.deviceId, s.signal, s.points.map((p) => [p.timestampMs, p.value, p.quality, p.sequence])])).toEqual([
      ['m1', 'current', [[10, 2.3, 'good', 1]]],
      ['m1', 'voltage', [[10, 230, 'good', 1]]],
      ['m2', 'current', [[20, 2.31, 'bad', 2]]],
      ['m2', 'voltage', [[20, 231, 'bad', 2]]],
    ]);
    expect(first.nextPageToken).not.toBe('');
    const second = await queryTelemetry(store, query({ pageSize: 2, pageToken: first.nextPageToken, signals: ['voltage'] }));
    expect(second.series.map((s) => [s.deviceId, s.points.map((p) => p.sequence)])).toEqual([['m1', [3]]]);
    expect(second.nextPageToken).toBe('');
  });

  it('refuses a bad query naming each field and limit', async () => {
    const store = await openTempStore();
    await expect(queryTelemetry(store, query({ fromMs: 500, toMs: 400 }))).rejects.toMatchObject({
      code: 'CPL_ERR_REQUEST_INVALID',
      message: 'toMs: must be greater than fromMs (got 400 <= 500)',
    });
    await expect(queryTelemetry(store, query({ gatewayId: '', toMs: 86_400_000, stepMs: 1000, pageSize: 20_000, pageToken: 'x', signals: [''] }))).rejects.toMatchObject({
      message:
        'gatewayId: must be 1 to 128 characters of A-Z a-z 0-9 . _ - (got ""); ' +
        'signals[0]: must be 1 to 128 characters (got ""); ' +
        'stepMs: the range holds 86400 buckets of 1000 ms, at most 10000 are allowed (use a step of at least 8640 ms); ' +
        'pageSize: must be at most 10000 (got 20000); ' +
        'pageToken: is not a token this API gave (got "x")',
    });
  });
});
