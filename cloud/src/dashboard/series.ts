import type { Quality, StoredRecord } from '../records/index.js';

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

const valueOf = (record: StoredRecord, name: string): number | undefined =>
  record.values.find((v) => v.name === name)?.value;

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
  const byStart = new Map<number, EnergyPeriod>();
  for (const record of records) {
    if (record.lane !== 'billing' || record.deviceId !== deviceId) continue;
    const startMs = valueOf(record, 'periodStart');
    const endMs = valueOf(record, 'periodEnd');
    const consumedKwh = valueOf(record, 'activeEnergyConsumed');
    if (startMs === undefined || endMs === undefined || consumedKwh === undefined) continue;
    if (startMs < fromMs || startMs >= toMs) continue;
    byStart.set(startMs, { startMs, endMs, consumedKwh, quality: record.quality });
  }
  return [...byStart.values()].sort((a, b) => a.startMs - b.startMs);
}

/**
 * One signal of one device over [fromMs, toMs), in at most maxPoints equal buckets (min, max and
 * mean of each), so a week of one-second readings still plots as a few hundred points.
 */
export function signalSeries(
  records: readonly StoredRecord[],
  query: { deviceId: string; signal: string; fromMs: number; toMs: number; maxPoints: number },
): { unit: string; bucketMs: number; points: SignalPoint[] } {
  const bucketMs = Math.max(1, Math.ceil((query.toMs - query.fromMs) / query.maxPoints));
  const buckets = new Map<number, SignalPoint & { sum: number }>();
  let unit = '';
  for (const record of records) {
    if (record.deviceId !== query.deviceId || record.quality === 'bad') continue;
    if (record.timestampMs < query.fromMs || record.timestampMs >= query.toMs) continue;
    const value = record.values.find((v) => v.name === query.signal);
    if (!value) continue;
    unit = value.unit;
    const atMs =
      query.fromMs + Math.floor((record.timestampMs - query.fromMs) / bucketMs) * bucketMs;
    const bucket = buckets.get(atMs);
    if (bucket) {
      bucket.min = Math.min(bucket.min, value.value);
      bucket.max = Math.max(bucket.max, value.value);
      bucket.sum += value.value;
      bucket.count++;
    } else {
      buckets.set(atMs, {
        atMs,
        min: value.value,
        max: value.value,
        mean: 0,
        sum: value.value,
        count: 1,
      });
    }
  }
  const points = [...buckets.values()]
    .sort((a, b) => a.atMs - b.atMs)
    .map(({ atMs, min, max, sum, count }) => ({ atMs, min, max, mean: sum / count, count }));
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
