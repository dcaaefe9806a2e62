import { billingPeriodOf, BucketSeries, type Quality, type StoredRecord } from '../records/index.js';

export interface EnergyPeriod {
  startMs: number;
  endMs: number;
  consumedKwh: number;
  quality: Quality;
}

export interface SignalPoint {
  /** Start of the bucket. */
  atMs: number;
  min: number;
  max: number;
  mean: number;
  count: number;
}

export interface DeviceSummary {
  deviceId: string;
  lastSeenMs: number;
  lastQuality: Quality;
  records: number;
  hasBilling: boolean;
  signals: string[];
}

/**
 * The energy-billing periods of one meter that start in [fromMs, toMs), oldest first: one per
 * period start (the record with the highest sequence wins, as a resent period replaces the first).
 */
export function energyPeriods(
  records: readonly StoredRecord[],
  deviceId: string,
  fromMs: number,
  toMs: number,
): EnergyPeriod[] {
  const byStart = new Map<number, EnergyPeriod & { sequence: number }>();
  for (const record of records) {
    if (record.deviceId !== deviceId) continue;
    const period = billingPeriodOf(record);
    if (!period || period.periodStartMs < fromMs || period.periodStartMs >= toMs) continue;
    const seen = byStart.get(period.periodStartMs);
    if (seen && seen.sequence > period.sequence) continue;
    byStart.set(period.periodStartMs, {
      startMs: period.periodStartMs,
      endMs: period.periodEndMs,
      consumedKwh: period.consumedKwh,
      quality: period.quality,
      sequence: period.sequence,
    });
  }
  return [...byStart.values()]
    .sort((a, b) => a.startMs - b.startMs)
    .map(({ startMs, endMs, consumedKwh, quality }) => ({ startMs, endMs, consumedKwh, quality }));
}

/**
 * One signal of one device over [fromMs, toMs), in at most maxPoints equal buckets (min, max and
 * mean of each; records of quality bad left out), so a week of one-second readings still plots
 * as a few hundred points. The buckets are the telemetry API's (records/buckets.ts).
 */
export function signalSeries(
  records: readonly StoredRecord[],
  query: { deviceId: string; signal: string; fromMs: number; toMs: number; maxPoints: number },
): { unit: string; bucketMs: number; points: SignalPoint[] } {
  const bucketMs = Math.max(1, Math.ceil((query.toMs - query.fromMs) / query.maxPoints));
  const series = new BucketSeries(query.fromMs, bucketMs);
  let unit = '';
  for (const record of records) {
    if (record.deviceId !== query.deviceId || record.quality === 'bad') continue;
    if (record.timestampMs < query.fromMs || record.timestampMs >= query.toMs) continue;
    const value = record.values.find((v) => v.name === query.signal);
    if (!value) continue;
    unit = value.unit;
    series.add(record.timestampMs, record.sequence, value.value);
  }
  const points = series
    .buckets()
    .map(({ startMs, min, max, mean, count }) => ({ atMs: startMs, min, max, mean, count }));
  return { unit, bucketMs, points };
}

/** Each device seen in the records: when it last reported, with what quality, and which signals. */
export function deviceSummaries(records: readonly StoredRecord[]): DeviceSummary[] {
  const devices = new Map<string, DeviceSummary & { signalSet: Set<string> }>();
  for (const record of records) {
    let device = devices.get(record.deviceId);
    if (!device) {
      device = {
        deviceId: record.deviceId,
        lastSeenMs: record.timestampMs,
        lastQuality: record.quality,
        records: 0,
        hasBilling: false,
        signals: [],
        signalSet: new Set(),
      };
      devices.set(record.deviceId, device);
    }
    device.records++;
    if (record.timestampMs >= device.lastSeenMs) {
      device.lastSeenMs = record.timestampMs;
      device.lastQuality = record.quality;
    }
    if (record.lane === 'billing') device.hasBilling = true;
    else for (const value of record.values) device.signalSet.add(value.name);
  }
  return [...devices.values()]
    .map(({ signalSet, ...device }) => ({ ...device, signals: [...signalSet].sort() }))
    .sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
}
