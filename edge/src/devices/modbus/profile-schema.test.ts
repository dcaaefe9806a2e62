import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '@coupler/kit';
import {
  builtinProfileNames,
  loadBuiltinProfile,
  loadProfile,
  parseProfile,
  resolveProfile,
} from './profile-schema.js';

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected the profile to be refused');
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function profileFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'coupler-profile-'));
  dirs.push(dir);
  const file = join(dir, 'my-meter.yaml');
  writeFileSync(file, text);
  return file;
}

describe('the built-in Eastron SDM630 profile', () => {
  const profile = loadBuiltinProfile('eastron-sdm630');

  it('carries its source, the 80-register limit and all 35 input registers of the v2.0 table', () => {
    expect(profile).toMatchObject({
      name: 'eastron-sdm630',
      manufacturer: 'Eastron',
      max_registers_per_read: 80,
    });
    expect(profile.source).toMatch(/SDM630 Modbus Protocol v2\.0/);
    expect(profile.registers).toHaveLength(35);
    expect(
      profile.registers.every(
        (r) =>
          r.register === 'input' &&
          r.data_type === 'float32' &&
          r.byte_order === 'ABCD' &&
          r.scale === 1 &&
          r.offset === 0,
      ),
    ).toBe(true);
  });

  it.each([
    ['voltageL1', 0x0000, 'V'],
    ['currentL3', 0x000a, 'A'],
    ['activePowerTotal', 0x0034, 'W'],
    ['reactivePowerTotal', 0x003c, 'var'],
    ['frequency', 0x0046, 'Hz'],
    ['importActiveEnergy', 0x0048, 'kWh'],
    ['exportActiveEnergy', 0x004a, 'kWh'],
    ['exportActiveEnergyL3', 0x0164, 'kWh'],
  ])('maps %s to wire address %i in %s', (name, address, unit) => {
    expect(profile.registers.find((r) => r.name === name)).toMatchObject({ address, unit });
  });

  it('is listed, found by resolveProfile, and frozen', () => {
    expect(builtinProfileNames()).toContain('eastron-sdm630');
    expect(resolveProfile('eastron-sdm630')).toEqual(profile);
    expect(Object.isFrozen(profile.registers[0])).toBe(true);
  });
});

describe('profile validation', () => {
  it('fills defaults: uint16, ABCD, scale 1, offset 0, no unit', () => {
    const profile = parseProfile(
      {
        name: 'x',
        source: 'datasheet',
        registers: [{ name: 'temperature', address: 3, register: 'holding' }],
      },
      'x.yaml',
    );
    expect(profile).toMatchObject({ manufacturer: '', model: '', max_registers_per_read: 125 });
    expect(profile.registers[0]).toEqual({
      name: 'temperature',
      address: 3,
      register: 'holding',
      data_type: 'uint16',
      byte_order: 'ABCD',
      scale: 1,
      offset: 0,
      unit: '',
    });
  });

  it('names each bad key with the reason and the value', () => {
    const document = {
      name: 'x',
      source: 's',
      registers: [
        { name: 'v', address: 70000, register: 'input', data_type: 'float' },
        { name: 'w', address: 1, register: 'input', swap: 'word' },
        { name: 'z', address: 2, register: 'analog', byte_order: 'ABDC' },
      ],
    };
    expect(refusal(() => parseProfile(document, 'my-meter.yaml'))).toBe(
      [
        'invalid configuration in my-meter.yaml:',
        '  registers[0].address: must be <= 65535 (got 70000)',
        '  registers[0].data_type: must be one of "int16", "uint16", "int32", "uint32", "float32", "float64" (got "float")',
        '  registers[1].swap: is not a known key (got "word")',
        '  registers[2].register: must be one of "holding", "input", "coil", "discrete" (got "analog")',
        '  registers[2].byte_order: must be one of "ABCD", "CDAB", "BADC", "DCBA" (got "ABDC")',
      ].join('\n'),
    );
  });

  it('refuses duplicate names, values past the address space and values larger than one read', () => {
    const document = {
      name: 'x',
      source: 's',
      max_registers_per_read: 2,
      registers: [
        { name: 'a', address: 0, register: 'holding', data_type: 'float64' },
        { name: 'a', address: 65535, register: 'holding', data_type: 'uint32' },
      ],
    };
    expect(refusal(() => parseProfile(document, 'my-meter.yaml'))).toBe(
      [
        'invalid configuration in my-meter.yaml:',
        '  registers[0].data_type: needs 4 registers, more than max_registers_per_read (got "float64")',
        '  registers[1].name: is already used by another register (got "a")',
        '  registers[1].address: leaves no room for the 2 registers of a uint32 (got 65535)',
      ].join('\n'),
    );
  });

  it('gives the YAML line of a bad key in a profile file', () => {
    const file = profileFile(
      [
        'name: x',
        'source: s',
        'registers:',
        '  - { name: v, address: 0, register: input }',
        '  - { name: w, address: 2, register: input, data_type: float }',
        '',
      ].join('\n'),
    );
    expect(refusal(() => loadProfile(file))).toBe(
      `invalid configuration in ${file}:\n  registers[1].data_type: must be one of "int16", "uint16", "int32", "uint32", "float32", "float64" (got "float") [line 5]`,
    );
  });

  it('says which built-in profiles exist when the name is unknown, and reports unreadable files', () => {
    expect(refusal(() => loadBuiltinProfile('eastron-sdm999'))).toBe(
      'invalid configuration in built-in profiles:\n  profile: is not a built-in profile (built-ins: "eastron-sdm630") (got "eastron-sdm999")',
    );
    expect(refusal(() => resolveProfile('/nonexistent/meter.yaml'))).toMatch(
      /^invalid configuration in \/nonexistent\/meter\.yaml:\n {2}\(root\): cannot read the profile: ENOENT/,
    );
  });
});
