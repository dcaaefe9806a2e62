import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { mergeGatewayConfig } from './gateway-config.js';

const profile = { source: 'datasheet v2', registers: [{ name: 'voltage', address: 0, register: 'input' }] };
const yamlOf = (result: ReturnType<typeof mergeGatewayConfig>): unknown => {
  if ('problem' in result) throw new Error(result.problem);
  return parse(result.yaml);
};

describe('mergeGatewayConfig', () => {
  it('builds modbus.profiles.<template> and the devices from nothing', () => {
    const devices = [{ id: 'meter-1', profile: 'sdm630', transport: 'tcp' as const, host: '10.0.0.9', unitId: 2 }];
    expect(yamlOf(mergeGatewayConfig(undefined, 'sdm630', { ...profile, name: 'eastron' }, devices))).toEqual({
      modbus: { profiles: { sdm630: { ...profile, name: 'sdm630' } }, devices },
    });
  });

  it('keeps the sections, profiles and devices the layer had, replacing devices of the same id', () => {
    const existing = [
      'energy:',
      '  meters: [{ deviceId: meter-1 }]',
      'modbus:',
      '  profiles: { doors: { name: doors, source: s, registers: [{ name: open, address: 1, register: coil }] } }',
      '  devices:',
      '    - { id: meter-1, profile: old, host: 10.0.0.1 }',
      '    - { id: door-1, profile: doors, transport: rtu, bus: rs485 }',
    ].join('\n');
    const meter = { id: 'meter-1', profile: 'sdm630', transport: 'rtu' as const, bus: 'rs485', unitId: 7 };
    expect(yamlOf(mergeGatewayConfig(existing, 'sdm630', profile, [meter]))).toEqual({
      energy: { meters: [{ deviceId: 'meter-1' }] },
      modbus: {
        profiles: { doors: { name: 'doors', source: 's', registers: [{ name: 'open', address: 1, register: 'coil' }] }, sdm630: { ...profile, name: 'sdm630' } },
        devices: [{ id: 'door-1', profile: 'doors', transport: 'rtu', bus: 'rs485' }, meter],
      },
    });
  });

  it('names what is wrong with a configuration it cannot merge into', () => {
    expect(mergeGatewayConfig('- a list', 'x', profile, [])).toEqual({ problem: 'is not a YAML mapping' });
    expect(mergeGatewayConfig('modbus: [1]', 'x', profile, [])).toEqual({ problem: 'has a modbus section that is not a mapping' });
    expect(mergeGatewayConfig('modbus: { devices: {} }', 'x', profile, [])).toEqual({ problem: 'has modbus.devices that is not a list' });
    expect(mergeGatewayConfig('a: [', 'x', profile, [])).toEqual({ problem: 'is not a YAML mapping' });
  });
});
