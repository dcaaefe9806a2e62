import { loadConfig, type ConfigProblem, type DeepReadonly } from '@coupler/kit';
import { arduinoProblems } from './arduino-check.js';
import { energyProblems } from './energy-check.js';
import { modbusProblems } from './modbus-check.js';
import { nodeRedProblems } from './nodered-check.js';
import { EdgeConfigSchema, type EdgeConfig } from './schema.js';
import { securityProblems } from './security-check.js';

export type FrozenEdgeConfig = DeepReadonly<EdgeConfig>;

function crossCheck(config: EdgeConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  config.modbus.devices.forEach((device, index) => {
    if (seen.has(device.id)) {
      problems.push({ path: `modbus.devices[${index}].id`, reason: 'is already used by another device', value: device.id });
    }
    seen.add(device.id);
  });
  problems.push(...modbusProblems(config.modbus));
  problems.push(...energyProblems(config.energy.meters, config.modbus.devices.map((d) => d.id)));
  problems.push(...arduinoProblems(config.arduino, { deviceIds: config.modbus.devices.map((d) => d.id), serialPaths: config.modbus.buses.map((b) => b.path) }));
  if (config.sync.initialBackoffMs > config.sync.maxBackoffMs) {
    problems.push({ path: 'sync.initialBackoffMs', reason: 'must not be greater than sync.maxBackoffMs', value: config.sync.initialBackoffMs });
  }
  problems.push(...securityProblems(config));
  problems.push(...nodeRedProblems(config));
  return problems;
}

/** Defaults, then the YAML file, then COUPLER_* variables; throws ConfigError naming every problem. */
export function loadEdgeConfig(options: {
  file?: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
}): FrozenEdgeConfig {
  return loadConfig({ schema: EdgeConfigSchema, file: options.file, env: options.env, crossCheck });
}
