/**
 * Energy periods in the style of EN 50463-4: fixed 5-minute periods aligned to UTC, the energy
 * of each taken from the meter's import and export energy counters (never by integrating
 * power). Pure: no clock, no I/O; the owner feeds counter readings and gets closed periods.
 */

/** EN 50463-4 time reference period: 5 minutes, starting at UTC multiples of 5 minutes. */
export const PERIOD_MS = 300_000;

/** Why a period's energy needs a second look; a bit set each. */
export const PeriodFlag = {
  /** A counter went backwards (reset, or a meter swapped for one with a lower count). */
  counterReset: 1,
  /** A counter rose faster than the meter's maximum power allows (meter swapped, corrupt read). */
  counterJump: 2,
  /** The meter's identity (serial number) changed. */
  meterReplaced: 4,
  /** No reading at the period's start: the gateway started in the middle with no saved state. */
  incompleteStart: 8,
  /** The gateway restarted in the period; the counters carried the energy across. */
  gatewayRestart: 16,
  /** The end reading came after the following period had begun: no reading for a whole period. */
  gap: 32,
} as const;

export interface CounterReading {
  /** UTC ms at which the counters were read. */
  atMs: number;
  importKwh: number;
  /** Absent for a meter that counts one direction only. */
  exportKwh?: number;
  /** The meter's serial number, when its profile reads one. */
  meterId?: number;
}

/** A period in progress: what the owner saves to survive a restart. */
export interface OpenPeriod {
  startMs: number;
  start: CounterReading;
  last: CounterReading;
  /** Start of the current stretch without a reset, jump or meter change. */
  segmentStart: CounterReading;
  /** Energy of the stretches already closed by an anomaly. */
  closedImportKwh: number;
  closedExportKwh: number;
  flags: number;
}

export interface ClosedPeriod {
  startMs: number;
  endMs: number;
  start: CounterReading;
  end: CounterReading;
  consumedKwh: number;
  /** Absent when the meter has no export counter. */
  regeneratedKwh?: number;
  flags: number;
}

export interface PeriodLimits {
  /** Largest power the meter can see; a counter rising faster is a jump, not energy. */
  maxPowerKw: number;
}

/** The UTC start of the period holding `atMs`. */
export function periodStartOf(atMs: number): number {
  return Math.floor(atMs / PERIOD_MS) * PERIOD_MS;
}

/** Opens a period at the one holding `reading`; `flags` say how its start is known. */
export function openPeriod(reading: CounterReading, flags = 0): OpenPeriod {
  return {
    startMs: periodStartOf(reading.atMs),
    start: reading,
    last: reading,
    segmentStart: reading,
    closedImportKwh: 0,
    closedExportKwh: 0,
    flags,
  };
}

function difference(to: number | undefined, from: number | undefined): number {
  return to === undefined || from === undefined ? 0 : to - from;
}

/** The anomaly between two consecutive readings, as a flag, or 0. */
function anomalyOf(previous: CounterReading, next: CounterReading, limits: PeriodLimits): number {
  if (
    previous.meterId !== undefined &&
    next.meterId !== undefined &&
    previous.meterId !== next.meterId
  )
    return PeriodFlag.meterReplaced;
  const importStep = next.importKwh - previous.importKwh;
  const exportStep = difference(next.exportKwh, previous.exportKwh);
  if (importStep < 0 || exportStep < 0) return PeriodFlag.counterReset;
  // One kWh of slack covers counter resolution and reads taken close together.
  const allowedKwh = (limits.maxPowerKw * Math.max(0, next.atMs - previous.atMs)) / 3_600_000 + 1;
  if (importStep > allowedKwh || exportStep > allowedKwh) return PeriodFlag.counterJump;
  return 0;
}

/** Adds a reading inside the period; an anomaly closes the current stretch and drops the step across it. */
export function advance(
  period: OpenPeriod,
  reading: CounterReading,
  limits: PeriodLimits,
): OpenPeriod {
  const anomaly = anomalyOf(period.last, reading, limits);
  if (anomaly === 0) return { ...period, last: reading };
  return {
    ...period,
    last: reading,
    segmentStart: reading,
    closedImportKwh: period.closedImportKwh + period.last.importKwh - period.segmentStart.importKwh,
    closedExportKwh:
      period.closedExportKwh + difference(period.last.exportKwh, period.segmentStart.exportKwh),
    flags: period.flags | anomaly,
  };
}

/**
 * Closes the period with `end`, the first reading at or after its end: the same reading starts
 * the next period, so consecutive periods neither lose nor count twice the energy between them.
 */
export function closePeriod(
  period: OpenPeriod,
  end: CounterReading,
  limits: PeriodLimits,
): ClosedPeriod {
  const endMs = period.startMs + PERIOD_MS;
  const last = advance(period, end, limits);
  const consumedKwh = last.closedImportKwh + end.importKwh - last.segmentStart.importKwh;
  const hasExport = period.start.exportKwh !== undefined && end.exportKwh !== undefined;
  const gap = end.atMs >= endMs + PERIOD_MS ? PeriodFlag.gap : 0;
  return {
    startMs: period.startMs,
    endMs,
    start: period.start,
    end,
    consumedKwh,
    ...(hasExport
      ? {
          regeneratedKwh:
            last.closedExportKwh + difference(end.exportKwh, last.segmentStart.exportKwh),
        }
      : {}),
    flags: last.flags | gap,
  };
}

/**
 * Feeds one reading: returns the period it closes (if it is the first reading at or after the
 * open period's end) and the period open afterwards. Readings older than the last are ignored.
 */
export function observe(
  period: OpenPeriod | undefined,
  reading: CounterReading,
  limits: PeriodLimits,
): { open: OpenPeriod; closed?: ClosedPeriod } {
  if (period === undefined) return { open: openPeriod(reading, PeriodFlag.incompleteStart) };
  if (reading.atMs <= period.last.atMs) return { open: period };
  if (reading.atMs < period.startMs + PERIOD_MS) return { open: advance(period, reading, limits) };
  return { open: openPeriod(reading), closed: closePeriod(period, reading, limits) };
}
