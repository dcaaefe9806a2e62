import type { Quality, StoredRecord } from './record.js';

/**
 * One meter's energy-billing period as the gateway compiled it (docs/energy-periods.md), read
 * from a billing-lane record's named values. Energies in kWh; times in ms since the epoch (UTC).
 */
export interface BillingPeriod {
  meterId: string;
  sequence: number;
  quality: Quality;
  periodStartMs: number;
  periodEndMs: number;
  consumedKwh: number;
  /** Absent for a meter without an export counter. */
  regeneratedKwh?: number;
  importCounterStartKwh?: number;
  importCounterEndKwh?: number;
  exportCounterStartKwh?: number;
  exportCounterEndKwh?: number;
  startReadingAtMs?: number;
  endReadingAtMs?: number;
  timeQuality?: number;
  flags?: number;
  position?: { latitude: number; longitude: number; atMs: number };
}

const KWH_PER: Readonly<Record<string, number>> = { Wh: 0.001, kWh: 1, MWh: 1000 };

/**
 * The billing period a record carries, or undefined when it is not a billing record or lacks
 * periodStart, periodEnd or activeEnergyConsumed. Energies in Wh or MWh are given in kWh.
 */
export function billingPeriodOf(record: StoredRecord): BillingPeriod | undefined {
  if (record.lane !== 'billing') return undefined;
  const named = new Map(record.values.map((v) => [v.name, v]));
  const plain = (name: string): number | undefined => named.get(name)?.value;
  const energy = (name: string): number | undefined => {
    const value = named.get(name);
    if (value === undefined) return undefined;
    return value.value * (KWH_PER[value.unit] ?? 1);
  };
  const periodStartMs = plain('periodStart');
  const periodEndMs = plain('periodEnd');
  const consumedKwh = energy('activeEnergyConsumed');
  if (periodStartMs === undefined || periodEndMs === undefined || consumedKwh === undefined)
    return undefined;
  const latitude = plain('latitude');
  const longitude = plain('longitude');
  const optional = {
    regeneratedKwh: energy('activeEnergyRegenerated'),
    importCounterStartKwh: energy('importCounterStart'),
    importCounterEndKwh: energy('importCounterEnd'),
    exportCounterStartKwh: energy('exportCounterStart'),
    exportCounterEndKwh: energy('exportCounterEnd'),
    startReadingAtMs: plain('startReadingAt'),
    endReadingAtMs: plain('endReadingAt'),
    timeQuality: plain('timeQuality'),
    flags: plain('flags'),
    position:
      latitude === undefined || longitude === undefined
        ? undefined
        : { latitude, longitude, atMs: plain('positionAt') ?? record.timestampMs },
  };
  const period: BillingPeriod = {
    meterId: record.deviceId,
    sequence: record.sequence,
    quality: record.quality,
    periodStartMs,
    periodEndMs,
    consumedKwh,
  };
  // exactOptionalPropertyTypes: leave absent fields out rather than set them to undefined.
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) Object.assign(period, { [key]: value });
  }
  return period;
}
