import { describe, expect, it } from 'vitest';
import { formatProblem } from '@coupler/kit';
import { desiredDocumentProblems, desiredKeys, mergeDesired } from './desired-sections.js';
import { withDesiredConfig } from './load.js';
import { loadEdgeConfig } from './load.js';

const file = () =>
  loadEdgeConfig({
    file: undefined,
    desired: null,
    env: {
      COUPLER_GATEWAY_ID: 'gw-1',
      COUPLER_SECURITY_MODE: 'development',
      COUPLER_DATA_DIR: '/nonexistent/coupler-test',
      COUPLER_MODBUS_DEVICES: JSON.stringify([{ id: 'aux', profile: 'eastron-sdm120', host: '10.0.0.2' }, { id: 'traction', profile: 'eastron-sdm630', host: '10.0.0.3' }]),
      COUPLER_ARDUINO_DEVICES: JSON.stringify([{ id: 'doors', path: '/dev/ttyACM0', intervalMs: 500 }]),
    },
  });
const desired = (document: unknown) => ({ version: '1.0.0', sha256: 'a'.repeat(64), document: document as never });
const problems = (document: unknown) => desiredDocumentProblems(document).map(formatProblem);

describe('a gateway-config document from the cloud', () => {
  it('may set Modbus devices and profiles, energy meters and what an Arduino samples', () => {
    const document = { modbus: { devices: [{ id: 'm', profile: 'my-meter', host: 'h' }], profiles: { 'my-meter': { registers: [] } } }, energy: { meters: [{ deviceId: 'm' }] }, arduino: { devices: [{ id: 'doors', intervalMs: 100, analogInputs: [0] }] } };
    expect(problems(document)).toEqual([]);
    expect(desiredKeys(document)).toEqual(['modbus.devices', 'modbus.profiles', 'energy.meters', 'arduino.devices']);
  });

  it('is refused naming every key the cloud may not set, down to the key someone wrote', () => {
    expect(problems({ sync: { cloudUrl: 'evil:50051' }, bus: { users: [] }, dataDir: '/tmp', modbus: { buses: [], profileDirs: ['/etc'] } })).toEqual([
      'sync.cloudUrl: may not be set remotely (the cloud may set modbus.devices, modbus.profiles, energy.meters, arduino.devices)',
      'bus.users: may not be set remotely (the cloud may set modbus.devices, modbus.profiles, energy.meters, arduino.devices)',
      'dataDir: may not be set remotely (the cloud may set modbus.devices, modbus.profiles, energy.meters, arduino.devices)',
      'modbus.buses: may not be set remotely (the cloud may set modbus.devices, modbus.profiles, energy.meters, arduino.devices)',
      'modbus.profileDirs: may not be set remotely (the cloud may set modbus.devices, modbus.profiles, energy.meters, arduino.devices)',
    ]);
  });

  it('may not name serial ports, profile files, or entries without their id', () => {
    expect(problems({ arduino: { devices: [{ id: 'doors', path: '/dev/ttyUSB0', baudRate: 9600 }] }, modbus: { devices: [{ id: 'm', profile: '/etc/shadow' }, { profile: 'x' }] }, energy: { meters: 'm' } })).toEqual([
      'arduino.devices[0].path: may not be set remotely (of an Arduino, the cloud may set id, intervalMs, analogInputs, digitalInputs)',
      'arduino.devices[0].baudRate: may not be set remotely (of an Arduino, the cloud may set id, intervalMs, analogInputs, digitalInputs)',
      'modbus.devices[1].id: is required (a string)',
      'energy.meters: must be a list (got "m")',
    ]);
    expect(problems({ modbus: { devices: [{ id: 'm', profile: '../meter' }], profiles: { 'My Meter': {}, other: { name: 'else' } } } })).toEqual([
      'modbus.devices[0].profile: must be a profile name (a-z, 0-9, -), not a path, when set remotely (got "../meter")',
      'modbus.profiles.My Meter: must be named with a-z, 0-9 and - only',
      'modbus.profiles.other.name: must be "other", the name devices refer to (got "else")',
    ]);
    expect(problems(['modbus'])).toEqual(['(root): must be a mapping of keys to values (got ["modbus"])']);
  });
});

describe('the desired sections over the gateway configuration file', () => {
  it('puts the desired devices first, replacing the file entry of the same id, keeps the other file entries, and patches Arduinos', () => {
    const merged = withDesiredConfig(file(), { ...desired({ modbus: { devices: [{ id: 'traction', profile: 'eastron-sdm630', host: '10.0.0.9' }, { id: 'new', profile: 'my-meter', host: 'h' }] }, arduino: { devices: [{ id: 'doors', analogInputs: [1] }] } }), profileDir: '/data/desired-profiles/aa' });
    expect(merged.modbus.devices.map((d) => [d.id, d.host, d.port])).toEqual([['traction', '10.0.0.9', 502], ['new', 'h', 502], ['aux', '10.0.0.2', 502]]);
    expect(merged.modbus.profileDirs).toEqual(['/data/desired-profiles/aa']);
    expect(merged.arduino.devices).toEqual([{ id: 'doors', path: '/dev/ttyACM0', intervalMs: 500, baudRate: 115_200, analogInputs: [1], digitalInputs: [] }]);
    expect(Object.isFrozen(merged.modbus.devices)).toBe(true);
  });

  it('is refused with the key and reason when the result is not a valid configuration, or names an Arduino the file lacks', () => {
    expect(() => withDesiredConfig(file(), desired({ modbus: { devices: [{ id: 'new', profile: 'x', host: 'h', unitId: 300 }] }, energy: { meters: [{ deviceId: 'ghost' }] } }))).toThrow(
      'invalid configuration in the configuration with the desired configuration 1.0.0:\n  modbus.devices[0].unitId: must be <= 247 (got 300)',
    );
    expect(mergeDesired(file() as never, desired({ arduino: { devices: [{ id: 'car9' }] } })).problems.map(formatProblem)).toEqual([
      `arduino.devices[0].id: names no Arduino of the gateway's own configuration (configured: doors) (got "car9")`,
    ]);
  });
});
