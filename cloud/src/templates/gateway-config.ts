import { parseDocument, stringify } from 'yaml';
import { isMapping } from './checks.js';

/** One entry of the gateway's `modbus.devices` (edge configuration keys, camelCase). */
export interface ModbusDeviceEntry {
  id: string;
  profile: string;
  transport: 'tcp' | 'rtu';
  host?: string;
  port?: number;
  bus?: string;
  unitId?: number;
}

/**
 * The gateway-config document a template's application gives a layer: the configuration the
 * layer had (its other sections, profiles and devices kept), with the template's profile under
 * `modbus.profiles.<template name>` (its `name` set to the template's name, which devices use)
 * and the devices replaced by id or added. Returns the YAML text, or the problem with `existing`.
 */
export function mergeGatewayConfig(
  existing: string | undefined,
  profileName: string,
  profile: Record<string, unknown>,
  devices: readonly ModbusDeviceEntry[],
): { yaml: string } | { problem: string } {
  let config: Record<string, unknown> = {};
  if (existing !== undefined && existing.trim() !== '') {
    const document = parseDocument(existing, { prettyErrors: false });
    const parsed: unknown = document.errors.length === 0 ? document.toJS() : undefined;
    if (!isMapping(parsed)) return { problem: 'is not a YAML mapping' };
    config = parsed;
  }
  const modbus = config['modbus'] ?? {};
  if (!isMapping(modbus)) return { problem: 'has a modbus section that is not a mapping' };
  const profiles = modbus['profiles'] ?? {};
  const existingDevices = modbus['devices'] ?? [];
  if (!isMapping(profiles)) return { problem: 'has modbus.profiles that is not a mapping' };
  if (!Array.isArray(existingDevices)) return { problem: 'has modbus.devices that is not a list' };
  const replaced = new Set(devices.map((device) => device.id));
  const kept = (existingDevices as unknown[]).filter((device) => !(isMapping(device) && typeof device['id'] === 'string' && replaced.has(device['id'])));
  const merged = {
    ...config,
    modbus: {
      ...modbus,
      profiles: { ...profiles, [profileName]: { ...profile, name: profileName } },
      devices: [...kept, ...devices],
    },
  };
  return { yaml: stringify(merged) };
}
