import { describe, expect, it } from 'vitest';
import { formatProblem } from '@coupler/kit';
import { energyProblems } from './energy-check.js';

describe('energy configuration', () => {
  it('names an energy meter that is no Modbus device, or one given twice', () => {
    const meter = (deviceId: string) => ({ deviceId, importSignal: 'importActiveEnergy', exportSignal: 'exportActiveEnergy', maxPowerKw: 10_000 });
    expect(energyProblems([meter('m1'), meter('m9'), meter('m1')], ['m1', 'm2']).map(formatProblem)).toEqual([
      'energy.meters[1].deviceId: names no entry of modbus.devices (got "m9")',
      'energy.meters[2].deviceId: is already an energy meter (got "m1")',
    ]);
  });
});
