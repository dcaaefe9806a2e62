import type { ModbusDeviceEntry } from './gateway-config.js';

/** A Modbus device as ApplyTemplate names it (coupler.fleet.v1.TemplateModbusDevice). */
export interface ModbusDeviceInput {
  deviceId: string;
  /** '' means tcp. */
  transport: string;
  host: string;
  /** 0 means the gateway's default (502). */
  port: number;
  bus: string;
  /** 0 means the gateway's default (1). */
  unitId: number;
}

const ARDUINO_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
/** The gateway's device and bus ids (edge modbus.devices[].id). */
const EDGE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const HOST_PATTERN = /^[A-Za-z0-9._:[\]-]{1,253}$/;
const got = (value: unknown) => `(got ${JSON.stringify(value)})`;

export function arduinoIdProblems(ids: readonly string[]): string[] {
  const problems = ids.flatMap((id, index) =>
    id === '*' || ARDUINO_ID_PATTERN.test(id) ? [] : [`arduinoDeviceIds[${index}]: must be a device id (1 to 64 of A-Z a-z 0-9 . _ -) or "*" ${got(id)}`],
  );
  return [...problems, ...duplicates(ids, 'arduinoDeviceIds')];
}

/** The gateway's modbus.devices entries for `devices`, or the problems naming each bad field. */
export function modbusEntries(devices: readonly ModbusDeviceInput[], profile: string): { entries: ModbusDeviceEntry[]; problems: string[] } {
  const problems: string[] = [];
  const entries = devices.map((device, index): ModbusDeviceEntry => {
    const at = `modbusDevices[${index}]`;
    if (!EDGE_ID_PATTERN.test(device.deviceId)) problems.push(`${at}.deviceId: must be 1 to 128 of A-Z a-z 0-9 . _ -, starting with a letter or digit ${got(device.deviceId)}`);
    const transport = device.transport === '' ? 'tcp' : device.transport;
    if (transport !== 'tcp' && transport !== 'rtu') problems.push(`${at}.transport: must be tcp or rtu ${got(device.transport)}`);
    if (transport === 'tcp' && !HOST_PATTERN.test(device.host)) problems.push(`${at}.host: a tcp device needs the host of the meter or Modbus gateway ${got(device.host)}`);
    if (transport === 'rtu' && !EDGE_ID_PATTERN.test(device.bus)) problems.push(`${at}.bus: an rtu device needs the id of the gateway's RTU bus ${got(device.bus)}`);
    if (device.port > 65535) problems.push(`${at}.port: must be 1 to 65535 ${got(device.port)}`);
    if (device.unitId > 247) problems.push(`${at}.unitId: must be 1 to 247 ${got(device.unitId)}`);
    return {
      id: device.deviceId,
      profile,
      transport: transport === 'rtu' ? 'rtu' : 'tcp',
      ...(transport === 'rtu' ? { bus: device.bus } : { host: device.host, ...(device.port > 0 ? { port: device.port } : {}) }),
      ...(device.unitId > 0 ? { unitId: device.unitId } : {}),
    };
  });
  problems.push(...duplicates(devices.map((d) => d.deviceId), 'modbusDevices'));
  return { entries, problems };
}

function duplicates(ids: readonly string[], field: string): string[] {
  const seen = new Set<string>();
  return ids.flatMap((id) => {
    if (!seen.has(id)) {
      seen.add(id);
      return [];
    }
    return [`${field}: names ${JSON.stringify(id)} twice`];
  });
}
