import type { ConfigProblem } from '@coupler/kit';
import type { ArduinoDeviceConfig } from './arduino-schema.js';

/**
 * What one key cannot say about Arduinos: ids unique on the gateway (Modbus devices included,
 * since both name records and topics), and one device per serial port.
 */
export function arduinoProblems(
  arduino: { devices: readonly ArduinoDeviceConfig[] },
  others: { deviceIds: readonly string[]; serialPaths: readonly string[] },
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const ids = new Set(others.deviceIds);
  const paths = new Set(others.serialPaths);
  arduino.devices.forEach((device, index) => {
    const at = `arduino.devices[${index}]`;
    if (ids.has(device.id)) problems.push({ path: `${at}.id`, reason: 'is already used by another device', value: device.id });
    ids.add(device.id);
    if (paths.has(device.path)) problems.push({ path: `${at}.path`, reason: 'is already the port of another device or bus', value: device.path });
    paths.add(device.path);
  });
  return problems;
}
