import { rename } from 'node:fs/promises';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '@coupler/kit';
import type { Reading } from '../records/index.js';
import { billingRecord } from './billing-record.js';
import { observe, PeriodFlag, type CounterReading } from './periods.js';
import type { ClockStatus, PositionSource } from './ports.js';
import { emptyState, loadState, saveState, type EnergyState } from './state-file.js';

export interface EnergyMeterConfig {
  /** The Modbus device whose readings carry the counters. */
  deviceId: string;
  /** Signal of the import (consumed) active energy counter. */
  importSignal: string;
  /** Signal of the export (regenerated) counter; a meter without it reports no regenerated energy. */
  exportSignal: string;
  /** Signal of the meter's serial number, to tell a replaced meter; optional. */
  meterIdSignal?: string | undefined;
  /** Largest power the meter can see; a counter rising faster is flagged, not counted. */
  maxPowerKw: number;
}

export interface EnergyPeriodsOptions {
  meters: readonly EnergyMeterConfig[];
  /** A boundary reading later than this after its boundary lowers the period's time quality. */
  boundaryToleranceMs: number;
  /** Where open periods and unpublished records are kept across restarts. */
  stateFile: string;
  /** Wait before publishing again after the bus refused a record; default 1000. */
  retryDelayMs?: number;
}

export interface EnergyPeriodsDeps {
  logger: Logger;
  registry: Registry;
  /** Hands a billing record to the bus; resolves once it is durably buffered. */
  publish: (record: Reading) => Promise<void>;
  clock: ClockStatus;
  position?: PositionSource | undefined;
}

const KWH_PER_UNIT: Readonly<Record<string, number>> = { Wh: 0.001, kWh: 1, MWh: 1000 };

/**
 * Compiles energy-billing records from the meters' counter readings: one per meter and
 * 5-minute UTC period, published to the billing lane. Open periods and records not yet
 * published are saved at every period change and at stop, so a restart in the middle of a
 * period loses no energy (the counters carry it) and no record.
 */
export class EnergyPeriods {
  private state: EnergyState = emptyState();
  private work: Promise<unknown> = Promise.resolve();
  private isRunning = false;
  private isPublishFailing = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private meters: ReadonlyMap<string, EnergyMeterConfig>;
  private metrics: { periods: Counter<'device' | 'flag'>; unpublished: Gauge } | undefined;

  constructor(
    private readonly options: EnergyPeriodsOptions,
    private readonly deps: EnergyPeriodsDeps,
  ) {
    this.meters = new Map(options.meters.map((m) => [m.deviceId, m]));
  }

  async start(): Promise<void> {
    if (this.isRunning) return;
    this.metrics ??= this.createMetrics();
    this.state = await this.loadOrStartAfresh();
    for (const entry of Object.values(this.state.meters))
      entry.open = { ...entry.open, flags: entry.open.flags | PeriodFlag.gatewayRestart };
    this.isRunning = true;
    this.enqueue(() => this.publishPending());
  }

  async stop(): Promise<void> {
    if (!this.isRunning) return;
    this.isRunning = false;
    clearTimeout(this.retryTimer);
    await this.work;
    await saveState(this.options.stateFile, this.state);
  }

  /**
   * Other meters, taken live: a new meter opens its first period at its next reading; a removed
   * one's open period stays saved and goes on if it comes back.
   */
  setMeters(meters: readonly EnergyMeterConfig[]): void {
    this.meters = new Map(meters.map((m) => [m.deviceId, m]));
  }

  /** Takes a meter reading (any device; others are ignored). Never throws. */
  observe(reading: Reading): void {
    if (!this.isRunning || reading.lane === 'billing') return;
    const meter = this.meters.get(reading.deviceId);
    if (meter === undefined) return;
    const counters = this.countersOf(meter, reading);
    if (counters !== undefined) this.enqueue(() => this.apply(meter, counters));
  }

  private countersOf(meter: EnergyMeterConfig, reading: Reading): CounterReading | undefined {
    const kwh = (name: string): number | undefined => {
      const value = reading.values.find((v) => v.name === name);
      const factor = value && KWH_PER_UNIT[value.unit];
      return value && factor !== undefined && Number.isFinite(value.value)
        ? value.value * factor
        : undefined;
    };
    const importKwh = kwh(meter.importSignal);
    if (importKwh === undefined || reading.quality === 'bad') return undefined;
    const exportKwh = kwh(meter.exportSignal);
    const meterId =
      meter.meterIdSignal && reading.values.find((v) => v.name === meter.meterIdSignal)?.value;
    return {
      atMs: reading.timestampMs,
      importKwh,
      ...(exportKwh === undefined ? {} : { exportKwh }),
      ...(typeof meterId === 'number' ? { meterId } : {}),
    };
  }

  private async apply(meter: EnergyMeterConfig, counters: CounterReading): Promise<void> {
    const entry = this.state.meters[meter.deviceId];
    const step = observe(entry?.open, counters, { maxPowerKw: meter.maxPowerKw });
    const isSynchronised = this.deps.clock.isSynchronised();
    const isNewPeriod = entry === undefined || step.closed !== undefined;
    if (step.closed && entry) {
      const record = billingRecord(step.closed, {
        deviceId: meter.deviceId,
        isClockSynchronised: entry.isClockSynchronisedAtStart && isSynchronised,
        boundaryToleranceMs: this.options.boundaryToleranceMs,
        position: this.deps.position?.current(),
      });
      this.state.unpublished.push(record);
      this.countPeriod(meter.deviceId, step.closed.flags);
    }
    this.state.meters[meter.deviceId] = {
      open: step.open,
      isClockSynchronisedAtStart: isNewPeriod ? isSynchronised : entry.isClockSynchronisedAtStart,
    };
    if (!isNewPeriod) return;
    await this.save();
    await this.publishPending();
  }

  private async publishPending(): Promise<void> {
    let published = 0;
    for (const record of [...this.state.unpublished]) {
      try {
        await this.deps.publish(record);
      } catch (err) {
        if (!this.isPublishFailing)
          this.deps.logger.error(
            { err, deviceId: record.deviceId },
            'energy period record not accepted; kept and retried',
          );
        this.isPublishFailing = true;
        this.retryLater();
        break;
      }
      this.state.unpublished.shift();
      published++;
      if (this.isPublishFailing) this.deps.logger.info({}, 'energy period records accepted again');
      this.isPublishFailing = false;
    }
    this.metrics?.unpublished.set(this.state.unpublished.length);
    if (published > 0) await this.save();
  }

  private retryLater(): void {
    if (!this.isRunning || this.retryTimer !== undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.enqueue(() => this.publishPending());
    }, this.options.retryDelayMs ?? 1000);
  }

  private async save(): Promise<void> {
    try {
      await saveState(this.options.stateFile, this.state);
    } catch (err) {
      // The records stay in memory and go out; only a crash before the next save could lose them.
      this.deps.logger.error(
        { err, file: this.options.stateFile },
        'energy period state not saved',
      );
    }
  }

  /** Runs one step at a time, in order; a failing step is logged and the next one runs. */
  private enqueue(step: () => Promise<void>): void {
    this.work = this.work.then(step).catch((err: unknown) => {
      this.deps.logger.error({ err }, 'energy period step failed');
    });
  }

  private async loadOrStartAfresh(): Promise<EnergyState> {
    const file = this.options.stateFile;
    try {
      return (await loadState(file)) ?? emptyState();
    } catch (err) {
      const aside = `${file}.corrupt-${Date.now()}`;
      this.deps.logger.error(
        { err, file, movedTo: aside },
        'energy period state unreadable; starting afresh',
      );
      await rename(file, aside).catch(() => undefined);
      return emptyState();
    }
  }

  private countPeriod(deviceId: string, flags: number): void {
    const set = Object.entries(PeriodFlag).filter(([, bit]) => (flags & bit) !== 0);
    if (set.length === 0) this.metrics?.periods.inc({ device: deviceId, flag: 'none' });
    for (const [flag] of set) this.metrics?.periods.inc({ device: deviceId, flag });
  }

  private createMetrics() {
    const registers = [this.deps.registry];
    return {
      periods: new Counter({
        name: 'coupler_energy_periods_total',
        help: 'Energy periods closed, by device and flag (none, counterReset, counterJump, meterReplaced, incompleteStart, gatewayRestart, gap).',
        labelNames: ['device', 'flag'] as const,
        registers,
      }),
      unpublished: new Gauge({
        name: 'coupler_energy_records_unpublished',
        help: 'Energy-billing records compiled and not yet accepted by the buffer.',
        registers,
      }),
    };
  }
}
