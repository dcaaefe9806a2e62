import { describe, expect, it } from 'vitest';
import { parseProfile, resolveProfile } from './profile.js';

function problems(document: unknown): string {
  try {
    parseProfile(document, 'my-meter.yaml');
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the profile to be refused');
}

describe('device profiles', () => {
  it('ships the Eastron SDM630 map with sources, units and the 80-register limit', () => {
    const profile = resolveProfile('eastron-sdm630');
    expect(profile.max_registers_per_read).toBe(80);
    expect(profile.source).toMatch(/SDM630 Modbus Protocol/);
    expect(profile.registers.find((r) => r.name === 'importActiveEnergy')).toMatchObject({ address: 0x48, register: 'input', data_type: 'float32', byte_order: 'ABCD', unit: 'kWh' });
  });

  it('fills defaults: uint16, ABCD, scale 1, offset 0', () => {
    const profile = parseProfile({ name: 'x', source: 'datasheet', registers: [{ name: 'temperature', address: 3, register: 'holding' }] }, 'x.yaml');
    expect(profile.registers[0]).toEqual({ name: 'temperature', address: 3, register: 'holding', data_type: 'uint16', byte_order: 'ABCD', scale: 1, offset: 0, unit: '' });
  });

  it('names each bad key with the reason and the value', () => {
    expect(
      problems({ name: 'x', source: 's', registers: [{ name: 'v', address: 70000, register: 'input', data_type: 'float' }, { name: 'v', address: 1, register: 'input', swap: 'word' }] }),
    ).toBe(
      [
        'invalid configuration in my-meter.yaml:',
        '  registers[0].address: must be <= 65535 (got 70000)',
        '  registers[0].data_type: must be one of "int16", "uint16", "int32", "uint32", "float32", "float64" (got "float")',
        '  registers[1].swap: is not a known key (got "word")',
      ].join('\n'),
    );
  });
});
