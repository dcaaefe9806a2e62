import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { arduinoProblems } from './arduino-check.js';
import { ArduinoSection } from './arduino-schema.js';
import { loadEdgeConfig } from './load.js';

function loadError(yaml: string): string {
  const file = join(tempDir(), 'edge.yaml');
  writeFileSync(file, yaml);
  try {
    loadEdgeConfig({ file, env: {} });
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('arduino configuration', () => {
  it('fills the defaults of an Arduino on a serial port', () => {
    const section = Value.Default(ArduinoSection, { devices: [{ id: 'car1-doors', path: '/dev/serial/by-id/usb-Arduino_Uno-if00' }] });
    expect(section).toEqual({
      reopenMaxMs: 5000,
      devices: [{ id: 'car1-doors', path: '/dev/serial/by-id/usb-Arduino_Uno-if00', baudRate: 115200, intervalMs: 1000, analogInputs: [0, 1, 2, 3, 4, 5], digitalInputs: [] }],
    });
  });

  it('refuses an id the EEPROM cannot hold and an input the Uno does not have, naming key, reason and line', () => {
    const message = loadError(['gateway:', '  id: car-1', 'arduino:', '  devices:', '    - id: a-very-long-device-id', '      path: /dev/ttyACM0', '      analogInputs: [0, 6]'].join('\n'));
    expect(message).toContain('arduino.devices[0].id: must match pattern "^[!-~]{1,16}$" (got "a-very-long-device-id") [line 5]');
    expect(message).toContain('arduino.devices[0].analogInputs[1]: must be <= 5 (got 6) [line 7]');
  });

  it('refuses an id used by another device and a port used by another device or a Modbus bus', () => {
    const devices = [
      { id: 'meter-1', path: '/dev/ttyACM0', baudRate: 115200, intervalMs: 1000, analogInputs: [0], digitalInputs: [] },
      { id: 'doors', path: '/dev/ttyUSB0', baudRate: 115200, intervalMs: 1000, analogInputs: [0], digitalInputs: [4] },
      { id: 'lights', path: '/dev/ttyACM0', baudRate: 115200, intervalMs: 1000, analogInputs: [0], digitalInputs: [] },
    ];
    expect(arduinoProblems({ devices }, { deviceIds: ['meter-1'], serialPaths: ['/dev/ttyUSB0'] })).toEqual([
      { path: 'arduino.devices[0].id', reason: 'is already used by another device', value: 'meter-1' },
      { path: 'arduino.devices[1].path', reason: 'is already the port of another device or bus', value: '/dev/ttyUSB0' },
      { path: 'arduino.devices[2].path', reason: 'is already the port of another device or bus', value: '/dev/ttyACM0' },
    ]);
  });
});
