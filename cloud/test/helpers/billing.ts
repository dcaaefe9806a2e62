import type { Quality, TelemetryRecord } from '../../src/records/index.js';

export const PERIOD_MS = 300_000;
/** 2024-05-01T12:00:00.000Z */
export const NOON_MS = Date.UTC(2024, 4, 1, 12);

export interface BillingInput {
  sequence: number;
  meterId: string;
  periodStartMs: number;
  consumedKwh: number;
  /** With it, the meter has an export counter. */
  regeneratedKwh?: number;
  importStartKwh?: number;
  exportStartKwh?: number;
  timeQuality?: number;
  flags?: number;
  quality?: Quality;
  position?: { latitude: number; longitude: number; atMs: number };
}

/** A billing-lane record as the edge's energy periods make it (docs/energy-periods.md). */
export function billingRecord(input: BillingInput): TelemetryRecord {
  const start = input.periodStartMs;
  const end = start + PERIOD_MS;
  const importStart = input.importStartKwh ?? 100;
  const values = [
    { name: 'periodStart', value: start, unit: 'ms' },
    { name: 'periodEnd', value: end, unit: 'ms' },
    { name: 'activeEnergyConsumed', value: input.consumedKwh, unit: 'kWh' },
    { name: 'importCounterStart', value: importStart, unit: 'kWh' },
    { name: 'importCounterEnd', value: importStart + input.consumedKwh, unit: 'kWh' },
    { name: 'startReadingAt', value: start + 400, unit: 'ms' },
    { name: 'endReadingAt', value: end + 600, unit: 'ms' },
    { name: 'timeQuality', value: input.timeQuality ?? 0, unit: '' },
    { name: 'flags', value: input.flags ?? 0, unit: '' },
  ];
  if (input.regeneratedKwh !== undefined) {
    const exportStart = input.exportStartKwh ?? 20;
    values.push(
      { name: 'activeEnergyRegenerated', value: input.regeneratedKwh, unit: 'kWh' },
      { name: 'exportCounterStart', value: exportStart, unit: 'kWh' },
      { name: 'exportCounterEnd', value: exportStart + input.regeneratedKwh, unit: 'kWh' },
    );
  }
  if (input.position) {
    values.push(
      { name: 'latitude', value: input.position.latitude, unit: 'deg' },
      { name: 'longitude', value: input.position.longitude, unit: 'deg' },
      { name: 'positionAt', value: input.position.atMs, unit: 'ms' },
    );
  }
  return {
    sequence: input.sequence,
    deviceId: input.meterId,
    timestampMs: end,
    lane: 'billing',
    quality: input.quality ?? 'good',
    values,
  };
}
