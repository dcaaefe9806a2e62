import type { ConfigProblem } from '@coupler/kit';
import type { EnergyMeterConfig } from './energy-schema.js';

/** Each energy meter names a configured Modbus device, once. */
export function energyProblems(meters: readonly EnergyMeterConfig[], deviceIds: readonly string[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const known = new Set(deviceIds);
  const seen = new Set<string>();
  meters.forEach((meter, index) => {
    const path = `energy.meters[${index}].deviceId`;
    if (!known.has(meter.deviceId)) problems.push({ path, reason: 'names no entry of modbus.devices', value: meter.deviceId });
    if (seen.has(meter.deviceId)) problems.push({ path, reason: 'is already an energy meter', value: meter.deviceId });
    seen.add(meter.deviceId);
  });
  return problems;
}
