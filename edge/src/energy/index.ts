// Public API of the energy capability (STYLE §2.6): named exports only.
export { billingRecord, TimeQuality, timeQualityOf } from './billing-record.js';
export type { PeriodContext } from './billing-record.js';
export { EnergyPeriods } from './energy-periods.js';
export type {
  EnergyMeterConfig,
  EnergyPeriodsDeps,
  EnergyPeriodsOptions,
} from './energy-periods.js';
export { observe, PERIOD_MS, PeriodFlag, periodStartOf } from './periods.js';
export type { ClosedPeriod, CounterReading, OpenPeriod, PeriodLimits } from './periods.js';
export type { ClockStatus, Position, PositionSource } from './ports.js';
export { fileClockStatus, fixedPosition } from './sources.js';
