import type { ConfigProblem } from '@coupler/kit';
import type { ModbusDeviceConfig, ModbusRtuBusConfig } from './modbus-schema.js';

/** What one key cannot say about Modbus: unique ids and ports, each device's transport has what it needs. */
export function modbusProblems(modbus: {
  buses: readonly ModbusRtuBusConfig[];
  devices: readonly ModbusDeviceConfig[];
}): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const busIds = new Set<string>();
  const paths = new Set<string>();
  modbus.buses.forEach((bus, index) => {
    if (busIds.has(bus.id)) problems.push({ path: `modbus.buses[${index}].id`, reason: 'is already used by another bus', value: bus.id });
    busIds.add(bus.id);
    // One serial port is one bus: two buses on one port would interleave their frames.
    if (paths.has(bus.path)) problems.push({ path: `modbus.buses[${index}].path`, reason: 'is already the port of another bus', value: bus.path });
    paths.add(bus.path);
  });
  const unitsOnBus = new Set<string>();
  modbus.devices.forEach((device, index) => {
    const at = `modbus.devices[${index}]`;
    if (device.transport === 'tcp') {
      if (device.host === undefined) problems.push({ path: `${at}.host`, reason: 'is required for transport tcp' });
      if (device.bus !== undefined) problems.push({ path: `${at}.bus`, reason: 'is only for transport rtu', value: device.bus });
      return;
    }
    if (device.host !== undefined) problems.push({ path: `${at}.host`, reason: 'is only for transport tcp', value: device.host });
    if (device.bus === undefined) {
      problems.push({ path: `${at}.bus`, reason: 'is required for transport rtu' });
      return;
    }
    if (!busIds.has(device.bus)) {
      const known = [...busIds].map((id) => JSON.stringify(id)).join(', ');
      problems.push({ path: `${at}.bus`, reason: `names no entry of modbus.buses (buses: ${known || 'none'})`, value: device.bus });
    }
    const key = `${device.bus}/${device.unitId}`;
    if (unitsOnBus.has(key)) problems.push({ path: `${at}.unitId`, reason: `is already used on bus ${device.bus}`, value: device.unitId });
    unitsOnBus.add(key);
  });
  return problems;
}
