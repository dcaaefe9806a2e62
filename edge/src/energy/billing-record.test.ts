import { describe, expect, it } from 'vitest';
import { billingRecord, TimeQuality } from './billing-record.js';
import { PERIOD_MS, type ClosedPeriod } from './periods.js';

const START = Date.UTC(2026, 0, 1, 12, 0, 0);

function period(overrides: Partial<ClosedPeriod> = {}): ClosedPeriod {
  return {
    startMs: START,
    endMs: START + PERIOD_MS,
    start: { atMs: START + 1000, importKwh: 10 },
    end: { atMs: START + PERIOD_MS + 1000, importKwh: 12.5 },
    consumedKwh: 2.5,
    flags: 0,
    ...overrides,
  };
}

const names = (record: { values: { name: string }[] }) => record.values.map((v) => v.name);

describe('billingRecord', () => {
  it('is a good billing-lane record stamped with the period end, for a DC meter without export counter', () => {
    const record = billingRecord(period(), {
      deviceId: 'dc-1',
      isClockSynchronised: true,
      boundaryToleranceMs: 5000,
    });
    expect(record).toMatchObject({
      deviceId: 'dc-1',
      lane: 'billing',
      quality: 'good',
      timestampMs: START + PERIOD_MS,
    });
    expect(names(record)).toEqual([
      'periodStart',
      'periodEnd',
      'activeEnergyConsumed',
      'importCounterStart',
      'importCounterEnd',
      'startReadingAt',
      'endReadingAt',
      'timeQuality',
      'flags',
    ]);
  });

  it('marks the time uncertain when the clock is not synchronised or a reading is late', () => {
    const unsynchronised = billingRecord(period(), {
      deviceId: 'm',
      isClockSynchronised: false,
      boundaryToleranceMs: 5000,
    });
    expect(unsynchronised.values.find((v) => v.name === 'timeQuality')?.value).toBe(
      TimeQuality.unsynchronised,
    );
    expect(unsynchronised.quality).toBe('uncertain');
    const late = billingRecord(
      period({ end: { atMs: START + PERIOD_MS + 5001, importKwh: 12.5 } }),
      {
        deviceId: 'm',
        isClockSynchronised: true,
        boundaryToleranceMs: 5000,
      },
    );
    expect(late.values.find((v) => v.name === 'timeQuality')?.value).toBe(TimeQuality.offBoundary);
  });
});
