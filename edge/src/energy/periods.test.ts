import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  observe,
  PERIOD_MS,
  PeriodFlag,
  periodStartOf,
  type ClosedPeriod,
  type CounterReading,
  type OpenPeriod,
} from './periods.js';

const LIMITS = { maxPowerKw: 10_000 };
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

/** Feeds every reading; returns the closed periods in order and the one left open. */
function run(readings: readonly CounterReading[], start?: OpenPeriod) {
  let open = start;
  const closed: ClosedPeriod[] = [];
  for (const reading of readings) {
    const step = observe(open, reading, LIMITS);
    open = step.open;
    if (step.closed) closed.push(step.closed);
  }
  return { closed, open };
}

/** Readings every 1-120 s whose counters only grow, by at most what 1 MW gives. */
const growingReadings = fc
  .array(
    fc.record({
      gapMs: fc.integer({ min: 1000, max: 120_000 }),
      importPerMs: fc.double({ min: 0, max: 1000 / 3_600_000, noNaN: true }),
      exportShare: fc.double({ min: 0, max: 0.5, noNaN: true }),
    }),
    { minLength: 2, maxLength: 400 },
  )
  .chain((steps) =>
    fc.integer({ min: 0, max: PERIOD_MS - 1 }).map((offsetMs) => {
      let atMs = T0 + offsetMs;
      let importKwh = 1000;
      let exportKwh = 10;
      return steps.map(({ gapMs, importPerMs, exportShare }) => {
        atMs += gapMs;
        importKwh += importPerMs * gapMs;
        exportKwh += importPerMs * gapMs * exportShare;
        return { atMs, importKwh, exportKwh };
      });
    }),
  );

describe('periodStartOf', () => {
  it('is the UTC multiple of 5 minutes at or before the time', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8_640_000_000_000 }), (atMs) => {
        const start = periodStartOf(atMs);
        expect(start % PERIOD_MS).toBe(0);
        expect(start).toBeLessThanOrEqual(atMs);
        expect(atMs - start).toBeLessThan(PERIOD_MS);
      }),
    );
    expect(new Date(periodStartOf(Date.UTC(2026, 5, 30, 23, 59, 59, 999))).toISOString()).toBe(
      '2026-06-30T23:55:00.000Z',
    );
  });
});

describe('energy periods from growing counters', () => {
  it('chain reading to reading, are aligned and positive, and add up to the counters exactly', () => {
    fc.assert(
      fc.property(growingReadings, (readings) => {
        const { closed } = run(readings);
        closed.forEach((period, i) => {
          expect(period.endMs - period.startMs).toBe(PERIOD_MS);
          expect(period.startMs % PERIOD_MS).toBe(0);
          expect(period.end.atMs).toBeGreaterThanOrEqual(period.endMs);
          expect(period.consumedKwh).toBeGreaterThanOrEqual(0);
          expect(period.regeneratedKwh).toBeGreaterThanOrEqual(0);
          expect(period.consumedKwh).toBe(period.end.importKwh - period.start.importKwh);
          const next = closed[i + 1];
          if (next) expect(next.start).toBe(period.end);
          expect(period.flags & ~(PeriodFlag.incompleteStart | PeriodFlag.gap)).toBe(0);
        });
        const first = closed[0];
        const last = closed.at(-1);
        if (first && last) {
          const total = closed.reduce((sum, p) => sum + p.consumedKwh, 0);
          expect(total).toBeCloseTo(last.end.importKwh - first.start.importKwh, 9);
          expect(first.flags & PeriodFlag.incompleteStart).toBe(PeriodFlag.incompleteStart);
        }
      }),
    );
  });
});

describe('energy periods across resets and meter changes', () => {
  it('are never negative and never more than the counters rose between readings', () => {
    const withResets = fc
      .tuple(
        growingReadings,
        fc.array(fc.nat(), { maxLength: 5 }),
        fc.array(fc.double({ min: 0, max: 1e7, noNaN: true }), { maxLength: 5 }),
      )
      .map(([readings, positions, values]) => {
        const changed = readings.map((r) => ({ ...r }));
        positions.forEach((position, i) => {
          const at = position % changed.length;
          // From here on the counters restart at an arbitrary value: a reset, or another meter.
          const shift = (values[i] ?? 0) - (changed[at]?.importKwh ?? 0);
          for (let j = at; j < changed.length; j++) {
            const reading = changed[j];
            if (reading)
              changed[j] = {
                ...reading,
                importKwh: reading.importKwh + shift,
                exportKwh: reading.exportKwh + shift,
              };
          }
        });
        return changed;
      });
    fc.assert(
      fc.property(withResets, (changed) => {
        const { closed } = run(changed);
        for (const period of closed) {
          expect(period.consumedKwh).toBeGreaterThanOrEqual(0);
          expect(period.regeneratedKwh).toBeGreaterThanOrEqual(0);
          // Never more than the counters rose, step by step, between the period's readings.
          const from = changed.findIndex((r) => r === period.start);
          const to = changed.findIndex((r) => r === period.end);
          let rise = 0;
          for (let k = from; k < to; k++)
            rise += Math.max(0, (changed[k + 1]?.importKwh ?? 0) - (changed[k]?.importKwh ?? 0));
          expect(period.consumedKwh).toBeLessThanOrEqual(rise + 1e-9);
          // And exactly the counter difference when nothing was flagged.
          if ((period.flags & (PeriodFlag.counterReset | PeriodFlag.counterJump)) === 0)
            expect(period.consumedKwh).toBe(period.end.importKwh - period.start.importKwh);
        }
      }),
    );
  });

  it('keeps the energy before and after a reset, flags it, and flags a swapped meter', () => {
    const at = (minute: number, second = 0) => T0 + minute * 60_000 + second * 1000;
    const { closed } = run([
      { atMs: at(0, 1), importKwh: 100, exportKwh: 5, meterId: 7 },
      { atMs: at(2), importKwh: 101.5, exportKwh: 5.25, meterId: 7 },
      { atMs: at(3), importKwh: 0.25, exportKwh: 0, meterId: 7 },
      { atMs: at(4), importKwh: 0.75, exportKwh: 0.5, meterId: 7 },
      { atMs: at(5, 1), importKwh: 1, exportKwh: 0.5, meterId: 7 },
      { atMs: at(6), importKwh: 2, exportKwh: 0.5, meterId: 7 },
      { atMs: at(7), importKwh: 52_000, exportKwh: 9, meterId: 8 },
      { atMs: at(10, 1), importKwh: 52_003, exportKwh: 9.5, meterId: 8 },
    ]);
    expect(closed.map((p) => [p.consumedKwh, p.regeneratedKwh, p.flags])).toEqual([
      // The first period began before the gateway's first reading.
      [1.5 + 0.75, 0.25 + 0.5, PeriodFlag.counterReset | PeriodFlag.incompleteStart],
      [1 + 3, 0.5, PeriodFlag.meterReplaced],
    ]);
  });

  it('turns a counter that leaps beyond the maximum power into a flagged jump, not energy', () => {
    const { closed } = run([
      { atMs: T0 + 1000, importKwh: 10 },
      { atMs: T0 + 61_000, importKwh: 20 },
      // 1 GWh in a minute is 60 GW: a corrupt read or another meter.
      { atMs: T0 + 121_000, importKwh: 1_000_020 },
      { atMs: T0 + PERIOD_MS + 1000, importKwh: 1_000_025 },
    ]);
    expect(closed[0]).toMatchObject({
      consumedKwh: 10 + 5,
      flags: PeriodFlag.counterJump | PeriodFlag.incompleteStart,
    });
    expect(closed[0]).not.toHaveProperty('regeneratedKwh');
  });
});
