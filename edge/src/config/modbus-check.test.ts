import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { createSchemaValidator, formatProblem, problemsFromAjv, type ConfigProblem } from '@coupler/kit';
import { modbusProblems } from './modbus-check.js';
import { ModbusSection, type ModbusDeviceConfig, type ModbusRtuBusConfig } from './modbus-schema.js';

type Section = { buses: ModbusRtuBusConfig[]; devices: ModbusDeviceConfig[]; profileDirs: string[] };
const validate = createSchemaValidator().compile<{ modbus: Section }>(
  Type.Object({ modbus: ModbusSection }, { additionalProperties: false }),
);

/** The modbus section as the configuration loader checks it: schema with defaults, then the cross-field rules. */
function section(document: unknown): { value: unknown; problems: string[] } {
  const config = { modbus: structuredClone(document) };
  const problems: ConfigProblem[] = validate(config)
    ? modbusProblems(config.modbus)
    : problemsFromAjv(validate.errors ?? [], config);
  return { value: config.modbus, problems: problems.map(formatProblem) };
}

describe('modbus configuration', () => {
  it('fills the serial line defaults of a bus and the tcp defaults of a device', () => {
    const { value, problems } = section({
      profileDirs: ['/data/profiles'],
      buses: [{ id: 'rtu0', path: '/dev/serial/by-id/usb-FTDI_FT232R-if00-port0' }],
      devices: [
        { id: 'm1', profile: 'eastron-sdm120', transport: 'rtu', bus: 'rtu0', unitId: 2 },
        { id: 'm2', profile: 'eastron-sdm630', host: '10.0.0.5' },
      ],
    });
    expect(problems).toEqual([]);
    expect(value).toEqual({
      profileDirs: ['/data/profiles'],
      buses: [{ id: 'rtu0', path: '/dev/serial/by-id/usb-FTDI_FT232R-if00-port0', baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, turnaroundDelayMs: 0, reopenIntervalMs: 1000 }],
      devices: [
        { id: 'm1', profile: 'eastron-sdm120', transport: 'rtu', bus: 'rtu0', port: 502, unitId: 2, pollIntervalMs: 1000, timeoutMs: 1000, retries: 1 },
        { id: 'm2', profile: 'eastron-sdm630', transport: 'tcp', host: '10.0.0.5', port: 502, unitId: 1, pollIntervalMs: 1000, timeoutMs: 1000, retries: 1 },
      ],
    });
  });

  it('names a bad line setting, and what a device on a bus or over TCP lacks', () => {
    expect(section({ buses: [{ id: 'rtu0', path: '/dev/ttyUSB0', parity: 'E', stopBits: 3 }] }).problems).toEqual([
      'modbus.buses[0].parity: must be one of "none", "even", "odd" (got "E")',
      'modbus.buses[0].stopBits: must be one of 1, 2 (got 3)',
    ]);
    const { problems } = section({
      buses: [
        { id: 'rtu0', path: '/dev/ttyUSB0' },
        { id: 'rtu1', path: '/dev/ttyUSB0' },
      ],
      devices: [
        { id: 'm1', profile: 'eastron-sdm630' },
        { id: 'm2', profile: 'eastron-sdm630', transport: 'rtu', bus: 'rtu9' },
        { id: 'm3', profile: 'eastron-sdm630', transport: 'rtu', bus: 'rtu1', unitId: 4 },
        { id: 'm4', profile: 'eastron-sdm630', transport: 'rtu', bus: 'rtu1', unitId: 4, host: 'x' },
        { id: 'm5', profile: 'eastron-sdm630', transport: 'rtu' },
      ],
    });
    expect(problems).toEqual([
      'modbus.buses[1].path: is already the port of another bus (got "/dev/ttyUSB0")',
      'modbus.devices[0].host: is required for transport tcp',
      'modbus.devices[1].bus: names no entry of modbus.buses (buses: "rtu0", "rtu1") (got "rtu9")',
      'modbus.devices[3].host: is only for transport tcp (got "x")',
      'modbus.devices[3].unitId: is already used on bus rtu1 (got 4)',
      'modbus.devices[4].bus: is required for transport rtu',
    ]);
  });
});
