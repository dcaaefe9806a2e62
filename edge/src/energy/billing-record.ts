import type { Reading, SignalValue } from '../records/index.js';
import { PeriodFlag, type ClosedPeriod } from './periods.js';
import type { Position } from './ports.js';

/**
 * Time quality of a period record, as a number in the record:
 * 0 synchronised: the clock was synchronised and both readings lie within the tolerance of their boundaries;
 * 1 off boundary: the clock was synchronised, but a reading was taken later than the tolerance allows;
 * 2 unsynchronised: the clock was not known to be synchronised at one of the two readings.
 */
export const TimeQuality = { synchronised: 0, offBoundary: 1, unsynchronised: 2 } as const;
export type TimeQuality = (typeof TimeQuality)[keyof typeof TimeQuality];

export interface PeriodContext {
  deviceId: string;
  isClockSynchronised: boolean;
  boundaryToleranceMs: number;
  position?: Position | undefined;
}

export function timeQualityOf(period: ClosedPeriod, context: PeriodContext): TimeQuality {
  if (!context.isClockSynchronised) return TimeQuality.unsynchronised;
  const startOffMs = period.start.atMs - period.startMs;
  const endOffMs = period.end.atMs - period.endMs;
  return startOffMs <= context.boundaryToleranceMs && endOffMs <= context.boundaryToleranceMs
    ? TimeQuality.synchronised
    : TimeQuality.offBoundary;
}

/**
 * The energy-billing record of one closed period: lane billing (never dropped), stamped with
 * the period's end. Quality is good only for a complete, unflagged period read on time.
 */
export function billingRecord(period: ClosedPeriod, context: PeriodContext): Reading {
  const timeQuality = timeQualityOf(period, context);
  const values: SignalValue[] = [
    { name: 'periodStart', value: period.startMs, unit: 'ms' },
    { name: 'periodEnd', value: period.endMs, unit: 'ms' },
    { name: 'activeEnergyConsumed', value: period.consumedKwh, unit: 'kWh' },
  ];
  if (period.regeneratedKwh !== undefined)
    values.push({ name: 'activeEnergyRegenerated', value: period.regeneratedKwh, unit: 'kWh' });
  values.push(
    { name: 'importCounterStart', value: period.start.importKwh, unit: 'kWh' },
    { name: 'importCounterEnd', value: period.end.importKwh, unit: 'kWh' },
  );
  if (period.start.exportKwh !== undefined && period.end.exportKwh !== undefined)
    values.push(
      { name: 'exportCounterStart', value: period.start.exportKwh, unit: 'kWh' },
      { name: 'exportCounterEnd', value: period.end.exportKwh, unit: 'kWh' },
    );
  values.push(
    { name: 'startReadingAt', value: period.start.atMs, unit: 'ms' },
    { name: 'endReadingAt', value: period.end.atMs, unit: 'ms' },
    { name: 'timeQuality', value: timeQuality, unit: '' },
    { name: 'flags', value: period.flags, unit: '' },
  );
  if (context.position)
    values.push(
      { name: 'latitude', value: context.position.latitudeDeg, unit: 'deg' },
      { name: 'longitude', value: context.position.longitudeDeg, unit: 'deg' },
      { name: 'positionAt', value: context.position.atMs, unit: 'ms' },
    );
  return {
    deviceId: context.deviceId,
    timestampMs: period.endMs,
    // A restart alone costs no energy: the counters carried it.
    quality:
      (period.flags & ~PeriodFlag.gatewayRestart) === 0 && timeQuality === TimeQuality.synchronised
        ? 'good'
        : 'uncertain',
    lane: 'billing',
    values,
  };
}
