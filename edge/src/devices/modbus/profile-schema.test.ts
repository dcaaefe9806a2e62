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
import { decodeAnswer, planReads } from './read-plan.js';

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

  it('rounds instantaneous values to a tenth of their accuracy or finer, and never the energy counters', () => {
    const precisionOf = (name: string) => profile.registers.find((r) => r.name === name)?.precision;
    expect(
      ['voltageL1', 'currentL2', 'activePowerL3', 'apparentPowerTotal', 'reactivePowerL1'].map(
        precisionOf,
      ),
    ).toEqual([1, 3, 0, 0, 0]);
    expect([precisionOf('powerFactorTotal'), precisionOf('frequency')]).toEqual([3, 2]);
    const energies = profile.registers.filter((r) => /^k(Wh|varh)$/.test(r.unit));
    expect(energies).toHaveLength(12);
    expect(energies.every((r) => r.precision === undefined)).toBe(true);
    expect(profile.registers.filter((r) => r.precision !== undefined)).toHaveLength(23);
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

  it('refuses a precision that is not a whole number of decimal places from 0 to 9', () => {
    const document = {
      name: 'x',
      source: 's',
      registers: [
        { name: 'a', address: 0, register: 'input', precision: -1 },
        { name: 'b', address: 1, register: 'input', precision: 10 },
        { name: 'c', address: 2, register: 'input', precision: 1.5 },
        { name: 'd', address: 3, register: 'input', precision: '2' },
        { name: 'e', address: 4, register: 'input', precision: 0 },
        { name: 'f', address: 5, register: 'input', precision: 9 },
      ],
    };
    expect(refusal(() => parseProfile(document, 'my-meter.yaml'))).toBe(
      [
        'invalid configuration in my-meter.yaml:',
        '  registers[0].precision: must be >= 0 (got -1)',
        '  registers[1].precision: must be <= 9 (got 10)',
        '  registers[2].precision: must be integer (got 1.5)',
        '  registers[3].precision: must be integer (got "2")',
      ].join('\n'),
    );
    const file = profileFile(
      [
        'name: x',
        'source: s',
        'registers:',
        '  - { name: v, address: 0, register: input, data_type: float32, precision: 1 }',
        '  - { name: w, address: 2, register: input, data_type: float32, precision: -2 }',
        '',
      ].join('\n'),
    );
    expect(refusal(() => loadProfile(file))).toBe(
      `invalid configuration in ${file}:\n  registers[1].precision: must be >= 0 (got -2) [line 5]`,
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
      'invalid configuration in built-in profiles:\n  profile: is not a built-in profile (built-ins: "eastron-sdm120", "eastron-sdm630", "peacefair-pzem-017") (got "eastron-sdm999")',
    );
    expect(refusal(() => resolveProfile('/nonexistent/meter.yaml'))).toMatch(
      /^invalid configuration in \/nonexistent\/meter\.yaml:\n {2}\(root\): cannot read the profile: ENOENT/,
    );
  });
});

function profileDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'coupler-profiles-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('the built-in Eastron SDM120 profile', () => {
  const profile = loadBuiltinProfile('eastron-sdm120');

  it('maps the single-phase v2.5 input registers, float32 ABCD, energies in kWh', () => {
    expect(profile.source).toMatch(/SDM120 Modbus Protocol v2\.5/);
    const byName = new Map(profile.registers.map((r) => [r.name, r]));
    expect(byName.get('voltage')).toMatchObject({ address: 0x0000, unit: 'V' });
    expect(byName.get('frequency')).toMatchObject({ address: 0x0046, unit: 'Hz' });
    expect(byName.get('importActiveEnergy')).toMatchObject({ address: 0x0048, unit: 'kWh' });
    expect(byName.get('exportActiveEnergy')).toMatchObject({ address: 0x004a, unit: 'kWh' });
    expect(byName.get('totalActiveEnergy')).toMatchObject({ address: 0x0156, unit: 'kWh' });
    expect(
      profile.registers.every(
        (r) => r.register === 'input' && r.data_type === 'float32' && r.byte_order === 'ABCD',
      ),
    ).toBe(true);
  });

  it('rounds like the SDM630 profile: instantaneous values only', () => {
    expect(Object.fromEntries(profile.registers.map((r) => [r.name, r.precision]))).toEqual({
      voltage: 1,
      current: 3,
      activePower: 0,
      apparentPower: 0,
      reactivePower: 0,
      powerFactor: 3,
      frequency: 2,
      importActiveEnergy: undefined,
      exportActiveEnergy: undefined,
      importReactiveEnergy: undefined,
      exportReactiveEnergy: undefined,
      totalActiveEnergy: undefined,
      totalReactiveEnergy: undefined,
    });
  });
});

describe('the built-in Peacefair PZEM-017 DC profile', () => {
  const profile = loadBuiltinProfile('peacefair-pzem-017');

  it('reads its eight input registers in one request', () => {
    const plan = planReads(profile.registers, {
      maxRegistersPerRead: profile.max_registers_per_read,
    });
    expect(plan.map(({ kind, address, count }) => ({ kind, address, count }))).toEqual([
      { kind: 'input', address: 0, count: 8 },
    ]);
  });

  it('decodes the answer quoted by ESPHome, 32-bit values low word first', () => {
    // esphome pzemdc.cpp: 01 04 10 | 05 40 00 0A 00 0D 00 00 00 02 00 00 00 00 00 00 | CRC
    const [request] = planReads(profile.registers, { maxRegistersPerRead: 8 });
    if (request === undefined) throw new Error('no request planned');
    const values = decodeAnswer(request, [0x0540, 0x000a, 0x000d, 0, 0x0002, 0, 0, 0]);
    const byName = Object.fromEntries(values.map((v) => [v.name, v.value]));
    expect(byName.voltage).toBeCloseTo(13.44, 10);
    expect(byName.current).toBeCloseTo(0.1, 10);
    expect(byName.activePower).toBeCloseTo(1.3, 10);
    expect(byName.importActiveEnergy).toBeCloseTo(0.002, 10);
    expect(byName.highVoltageAlarm).toBe(0);
    // A counter above 65535 Wh only decodes right with the word order of the manual.
    const big = decodeAnswer(request, [0, 0, 0, 0, 0x86a0, 0x0001, 0, 0]);
    expect(big.find((v) => v.name === 'importActiveEnergy')?.value).toBeCloseTo(100, 10);
  });
});

describe('user profile folders', () => {
  const userProfile = (name: string) =>
    [
      `name: ${name}`,
      'source: my datasheet, page 4',
      'registers:',
      '  - { name: temperature, address: 3, register: holding, data_type: int16, scale: 0.1, unit: "°C" }',
      '',
    ].join('\n');

  it('finds a profile by name in the folders, in order, before the built-ins', () => {
    const first = profileDir({ 'boiler.yml': userProfile('boiler') });
    const second = profileDir({
      'boiler.yaml': userProfile('boiler').replace('address: 3', 'address: 9'),
      'eastron-sdm630.json': JSON.stringify({
        name: 'eastron-sdm630',
        source: 'a corrected copy',
        registers: [{ name: 'voltageL1', address: 0, register: 'input', data_type: 'float32' }],
      }),
    });
    const lookup = { profileDirs: [first, second] };
    expect(resolveProfile('boiler', lookup).registers[0]).toMatchObject({ address: 3, scale: 0.1 });
    expect(resolveProfile('eastron-sdm630', lookup).source).toBe('a corrected copy');
    expect(resolveProfile('eastron-sdm120', lookup).manufacturer).toBe('Eastron');
  });

  it('names the key when a user profile is wrong, and the folders searched when it is missing', () => {
    const dir = profileDir({
      'boiler.yaml': userProfile('heater'),
      'pump.yaml': userProfile('pump').replace('data_type: int16', 'data_type: int8'),
    });
    const lookup = { profileDirs: [dir] };
    expect(refusal(() => resolveProfile('boiler', lookup))).toBe(
      `invalid configuration in ${join(dir, 'boiler.yaml')}:\n  name: must equal the file name, "boiler", that devices refer to (got "heater")`,
    );
    expect(refusal(() => resolveProfile('pump', lookup))).toMatch(
      /registers\[0\]\.data_type: must be one of .* \(got "int8"\) \[line 4\]$/,
    );
    expect(refusal(() => resolveProfile('chiller', lookup))).toBe(
      `invalid configuration in device profiles:\n  profile: is neither in the profile folders (${dir}) nor a built-in profile (built-ins: "eastron-sdm120", "eastron-sdm630", "peacefair-pzem-017") (got "chiller")`,
    );
  });
});
