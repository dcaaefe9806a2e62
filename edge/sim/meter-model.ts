/**
 * A plausible three-phase load for the meter simulator: voltages near 230 V, currents that
 * drift between about 5 and 40 A, power from V·I·pf, and energy counters integrated from that
 * power, so they only grow. Deterministic for a given seed.
 */
export class MeterModel {
  private lastMs: number;
  private readonly energy = {
    importActive: 1000,
    exportActive: 10,
    importReactive: 200,
    exportReactive: 5,
    importL: [333, 333, 334],
    exportL: [3, 3, 4],
  };
  private readonly phase: number;

  constructor(
    startMs: number,
    private readonly seed = 1,
  ) {
    this.lastMs = startMs;
    this.phase = (seed * 2.399963) % (2 * Math.PI);
  }

  /** Every signal the Eastron profiles name, at time `nowMs`. */
  valuesAt(nowMs: number): Map<string, number> {
    const t = nowMs / 1000;
    const values = new Map<string, number>();
    let pTotal = 0;
    let sTotal = 0;
    let qTotal = 0;
    const p: number[] = [];
    for (const n of [1, 2, 3]) {
      const shift = this.phase + (n * 2 * Math.PI) / 3;
      const voltage = 230 * (1 + 0.02 * Math.sin(t / 7 + shift));
      const current = 22.5 + 17.5 * Math.sin(t / 13 + shift);
      const pf = 0.95 - 0.04 * Math.sin(t / 17 + shift);
      const apparent = voltage * current;
      const active = apparent * pf;
      const reactive = Math.sqrt(Math.max(0, apparent ** 2 - active ** 2));
      values.set(`voltageL${n}`, voltage).set(`currentL${n}`, current).set(`powerFactorL${n}`, pf);
      values
        .set(`activePowerL${n}`, active)
        .set(`apparentPowerL${n}`, apparent)
        .set(`reactivePowerL${n}`, reactive);
      p.push(active);
      pTotal += active;
      sTotal += apparent;
      qTotal += reactive;
    }
    this.advanceEnergy(nowMs, p, qTotal);
    values
      .set('activePowerTotal', pTotal)
      .set('apparentPowerTotal', sTotal)
      .set('reactivePowerTotal', qTotal);
    values
      .set('powerFactorTotal', pTotal / sTotal)
      .set('frequency', 50 + 0.05 * Math.sin(t / 11 + this.phase));
    values
      .set('importActiveEnergy', this.energy.importActive)
      .set('exportActiveEnergy', this.energy.exportActive);
    values
      .set('importReactiveEnergy', this.energy.importReactive)
      .set('exportReactiveEnergy', this.energy.exportReactive);
    values.set('totalActiveEnergy', this.energy.importActive + this.energy.exportActive);
    values.set('totalReactiveEnergy', this.energy.importReactive + this.energy.exportReactive);
    for (const n of [1, 2, 3]) {
      values
        .set(`importActiveEnergyL${n}`, this.energy.importL[n - 1] ?? 0)
        .set(`exportActiveEnergyL${n}`, this.energy.exportL[n - 1] ?? 0);
    }
    // SDM120 (single phase) names its signals without the phase suffix.
    for (const name of [
      'voltage',
      'current',
      'activePower',
      'apparentPower',
      'reactivePower',
      'powerFactor',
    ]) {
      values.set(name, values.get(`${name}L1`) ?? 0);
    }
    return values;
  }

  private advanceEnergy(
    nowMs: number,
    activePerPhase: readonly number[],
    reactiveTotal: number,
  ): void {
    const hours = Math.max(0, nowMs - this.lastMs) / 3_600_000;
    this.lastMs = Math.max(this.lastMs, nowMs);
    activePerPhase.forEach((watts, i) => {
      const importKwh = (watts * hours) / 1000;
      // A little regeneration, as a braking train feeds back.
      const exportKwh = importKwh * 0.005 * (1 + (Math.abs(this.seed) % 3));
      this.energy.importActive += importKwh;
      this.energy.exportActive += exportKwh;
      this.energy.importL[i] = (this.energy.importL[i] ?? 0) + importKwh;
      this.energy.exportL[i] = (this.energy.exportL[i] ?? 0) + exportKwh;
    });
    this.energy.importReactive += (reactiveTotal * hours) / 1000;
    this.energy.exportReactive += (reactiveTotal * hours) / 100_000;
  }
}
