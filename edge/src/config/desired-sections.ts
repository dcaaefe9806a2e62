import type { ConfigProblem } from '@coupler/kit';
import type { EdgeConfig } from './schema.js';

/** The keys a gateway-config artifact may set (docs/remote-configuration.md); nothing else. */
export const REMOTE_KEYS = ['modbus.devices', 'modbus.profiles', 'energy.meters', 'arduino.devices'] as const;
/** Of an Arduino, the cloud may set what is sampled and how often, never its port or line speed. */
export const REMOTE_ARDUINO_FIELDS = ['id', 'intervalMs', 'analogInputs', 'digitalInputs'] as const;
/** Profile names as resolveProfile takes them for a name rather than a file path. */
const PROFILE_NAME = /^[a-z0-9][a-z0-9-]*$/;

type Entry = Record<string, unknown>;

/** A gateway-config document once its keys are checked: the sections the cloud sets. */
export interface DesiredDocument {
  modbus?: { devices?: Entry[]; profiles?: Record<string, unknown> };
  energy?: { meters?: Entry[] };
  arduino?: { devices?: Entry[] };
}

/** A desired configuration in force: the checked document, and the folder its profiles were written to. */
export interface DesiredConfig {
  version: string;
  sha256: string;
  document: DesiredDocument;
  /** Absolute folder holding `<name>.json` for each of `modbus.profiles`; absent when it has none. */
  profileDir?: string;
}

const isMapping = (value: unknown): value is Entry => value !== null && typeof value === 'object' && !Array.isArray(value);
const notRemote = (path: string, value?: unknown): ConfigProblem => ({
  path,
  reason: `may not be set remotely (the cloud may set ${REMOTE_KEYS.join(', ')})`,
  ...(value === undefined ? {} : { value }),
});

/** `sync` holding `{ cloudUrl }` is named `sync.cloudUrl`: the key someone wrote, not its section. */
function forbiddenKeys(path: string, value: unknown): ConfigProblem[] {
  if (!isMapping(value) || Object.keys(value).length === 0) return [notRemote(path)];
  return Object.keys(value).map((key) => notRemote(`${path}.${key}`));
}

function listProblems(path: string, value: unknown, idKey: string): ConfigProblem[] {
  if (!Array.isArray(value)) return [{ path, reason: 'must be a list', value }];
  return value.flatMap((entry: unknown, index) => {
    if (!isMapping(entry)) return [{ path: `${path}[${index}]`, reason: 'must be a mapping', value: entry }];
    if (typeof entry[idKey] === 'string') return [];
    const problem: ConfigProblem = { path: `${path}[${index}].${idKey}`, reason: 'is required (a string)' };
    return [entry[idKey] === undefined ? problem : { ...problem, value: entry[idKey] }];
  });
}

function sectionProblems(section: string, value: unknown, allowed: Record<string, (path: string, value: unknown) => ConfigProblem[]>): ConfigProblem[] {
  if (!isMapping(value)) return [{ path: section, reason: 'must be a mapping', value }];
  return Object.entries(value).flatMap(([key, child]) => {
    const check = allowed[key];
    return check ? check(`${section}.${key}`, child) : forbiddenKeys(`${section}.${key}`, child);
  });
}

const modbusDevices = (path: string, value: unknown): ConfigProblem[] => {
  const problems = listProblems(path, value, 'id');
  if (problems.length > 0 || !Array.isArray(value)) return problems;
  // A path would make the gateway read a file the cloud chose.
  return (value as Entry[]).flatMap((device, index) =>
    device['profile'] === undefined || (typeof device['profile'] === 'string' && PROFILE_NAME.test(device['profile']))
      ? []
      : [{ path: `${path}[${index}].profile`, reason: 'must be a profile name (a-z, 0-9, -), not a path, when set remotely', value: device['profile'] }],
  );
};

const modbusProfiles = (path: string, value: unknown): ConfigProblem[] => {
  if (!isMapping(value)) return [{ path, reason: 'must be a mapping of profile names to profiles', value }];
  return Object.entries(value).flatMap(([name, profile]) => {
    if (!PROFILE_NAME.test(name)) return [{ path: `${path}.${name}`, reason: 'must be named with a-z, 0-9 and - only' }];
    if (!isMapping(profile)) return [{ path: `${path}.${name}`, reason: 'must be a profile document (docs/modbus-profiles.md)', value: profile }];
    if (profile['name'] !== undefined && profile['name'] !== name) return [{ path: `${path}.${name}.name`, reason: `must be ${JSON.stringify(name)}, the name devices refer to`, value: profile['name'] }];
    return [];
  });
};

const arduinoDevices = (path: string, value: unknown): ConfigProblem[] => {
  const problems = listProblems(path, value, 'id');
  if (problems.length > 0 || !Array.isArray(value)) return problems;
  const allowed: readonly string[] = REMOTE_ARDUINO_FIELDS;
  return (value as Entry[]).flatMap((device, index) =>
    Object.keys(device)
      .filter((key) => !allowed.includes(key))
      .map((key) => ({ path: `${path}[${index}].${key}`, reason: `may not be set remotely (of an Arduino, the cloud may set ${REMOTE_ARDUINO_FIELDS.join(', ')})` })),
  );
};

/**
 * What is wrong with a gateway-config document before it meets the gateway's own file: a key
 * the cloud may not set (anything that could cut the gateway off or reach into its files:
 * ports, TLS, users, the data folder, sync settings, serial ports), named down to the key.
 */
export function desiredDocumentProblems(document: unknown): ConfigProblem[] {
  if (!isMapping(document)) return [{ path: '', reason: 'must be a mapping of keys to values', value: document }];
  const sections: Record<string, (value: unknown) => ConfigProblem[]> = {
    modbus: (value) => sectionProblems('modbus', value, { devices: modbusDevices, profiles: modbusProfiles }),
    energy: (value) => sectionProblems('energy', value, { meters: (path, meters) => listProblems(path, meters, 'deviceId') }),
    arduino: (value) => sectionProblems('arduino', value, { devices: arduinoDevices }),
  };
  return Object.entries(document).flatMap(([key, value]) => sections[key]?.(value) ?? forbiddenKeys(key, value));
}

/**
 * Entries of the desired list first, in its order (so a problem's index is the document's),
 * each replacing the file's entry of the same id, or, with `isPatch`, changing the keys it names
 * of it; then the file's other entries.
 */
function mergeList(file: readonly Entry[], desired: readonly Entry[], idKey: string, isPatch: boolean): Entry[] {
  const ids = new Set(desired.map((entry) => entry[idKey]));
  const merged = desired.map((entry) => {
    const own = file.find((f) => f[idKey] === entry[idKey]);
    return isPatch && own ? { ...own, ...entry } : { ...entry };
  });
  return [...merged, ...file.filter((entry) => !ids.has(entry[idKey]))];
}

/**
 * The desired sections over a copy of the file's configuration (checked by the caller):
 * Modbus devices and energy meters by id, replacing the file's entry of the same id; Arduinos
 * only by the id of one the file has, changing the keys named. The profile folder comes first
 * among modbus.profileDirs, so an inline profile wins over a file's one of the same name.
 */
export function mergeDesired(file: EdgeConfig, desired: DesiredConfig): { config: EdgeConfig; problems: ConfigProblem[] } {
  const config = structuredClone(file);
  const { modbus, energy, arduino } = desired.document;
  if (modbus?.devices) config.modbus.devices = mergeList(config.modbus.devices, modbus.devices, 'id', false) as EdgeConfig['modbus']['devices'];
  if (desired.profileDir !== undefined) config.modbus.profileDirs = [desired.profileDir, ...config.modbus.profileDirs];
  if (energy?.meters) config.energy.meters = mergeList(config.energy.meters, energy.meters, 'deviceId', false) as EdgeConfig['energy']['meters'];
  const problems: ConfigProblem[] = [];
  if (arduino?.devices) {
    const known = config.arduino.devices.map((device) => device.id);
    arduino.devices.forEach((device, index) => {
      if (!known.includes(String(device['id']))) problems.push({ path: `arduino.devices[${index}].id`, reason: `names no Arduino of the gateway's own configuration (configured: ${known.join(', ') || 'none'})`, value: device['id'] });
    });
    config.arduino.devices = mergeList(config.arduino.devices, arduino.devices, 'id', true) as EdgeConfig['arduino']['devices'];
  }
  return { config, problems };
}

/** The keys a document sets, for logs and reports: `modbus.devices`, `energy.meters`. */
export function desiredKeys(document: DesiredDocument): string[] {
  return REMOTE_KEYS.filter((key) => {
    const [section, name] = key.split('.') as [keyof DesiredDocument, string];
    const value = document[section] as Entry | undefined;
    return value?.[name] !== undefined;
  });
}
