import { checkConfig, ConfigError, formatProblem, loadConfig, type ConfigProblem, type DeepReadonly } from '@coupler/kit';
import { arduinoProblems } from './arduino-check.js';
import { readDesiredConfig } from './desired-file.js';
import { desiredKeys, mergeDesired, type DesiredConfig } from './desired-sections.js';
import { energyProblems } from './energy-check.js';
import { modbusProblems } from './modbus-check.js';
import { nodeRedProblems } from './nodered-check.js';
import { EdgeConfigSchema, type EdgeConfig } from './schema.js';
import { edgeConfigValidator } from './validate-config.js';
import { securityProblems } from './security-check.js';

export type FrozenEdgeConfig = DeepReadonly<EdgeConfig>;

/** What became of the cloud's desired configuration kept in the data folder, for the caller to log. */
export type DesiredConfigNote =
  | { kind: 'merged'; version: string; sha256: string; keys: string[] }
  | { kind: 'ignored'; version: string; sha256: string; problems: string[] };

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

/** The file's configuration with the desired sections over it, checked whole; throws ConfigError. */
export function withDesiredConfig(file: FrozenEdgeConfig, desired: DesiredConfig): FrozenEdgeConfig {
  const source = `the configuration with the desired configuration ${desired.version}`;
  const { config, problems } = mergeDesired(file as EdgeConfig, desired);
  if (problems.length > 0) throw new ConfigError(source, problems);
  return checkConfig({ schema: EdgeConfigSchema, data: config, source, crossCheck, validate: edgeConfigValidator() });
}

/**
 * Defaults, then the YAML file, then COUPLER_* variables; throws ConfigError naming every
 * problem. Then the cloud's desired sections win: `desired` when given (null: the file alone),
 * else those kept in the data folder, which are left out, with a note, when they no longer fit.
 */
export function loadEdgeConfig(options: {
  file?: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  desired?: DesiredConfig | null;
  onDesired?: (note: DesiredConfigNote) => void;
}): FrozenEdgeConfig {
  const file = loadConfig({ schema: EdgeConfigSchema, file: options.file, env: options.env, crossCheck, validate: edgeConfigValidator() });
  if (options.desired === null) return file;
  if (options.desired !== undefined) return withDesiredConfig(file, options.desired);
  const kept = readDesiredConfig(file.dataDir);
  if (!kept) return file;
  const { version, sha256 } = kept;
  try {
    const merged = withDesiredConfig(file, kept);
    options.onDesired?.({ kind: 'merged', version, sha256, keys: desiredKeys(kept.document) });
    return merged;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    options.onDesired?.({ kind: 'ignored', version, sha256, problems: err.problems.map(formatProblem) });
    return file;
  }
}
