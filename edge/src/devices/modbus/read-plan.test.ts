import { describe, expect, it } from 'vitest';
import { encodeValue } from './codec.js';
import { loadBuiltinProfile, type ProfileRegister } from './profile-schema.js';
import { decodeAnswer, planReads, roundToPrecision, type ReadRequest } from './read-plan.js';

function reg(
  name: string,
  address: number,
  register: ProfileRegister['register'] = 'input',
  data_type: ProfileRegister['data_type'] = 'float32',
): ProfileRegister {
  return { name, address, register, data_type, byte_order: 'ABCD', scale: 1, offset: 0, unit: '' };
}

const shape = (plan: ReadRequest[]) =>
  plan.map(({ kind, address, count, fields }) => ({
    kind,
    address,
    count,
    fields: fields.map((f) => [f.register.name, f.offset]),
  }));

describe('planReads', () => {
  it('merges touching registers of one kind into one request and keeps each field offset', () => {
    const plan = planReads(
      [reg('c', 4), reg('a', 0), reg('b', 2), reg('h', 0, 'holding', 'uint16')],
      { maxRegistersPerRead: 125 },
    );
    expect(shape(plan)).toEqual([
      { kind: 'holding', address: 0, count: 1, fields: [['h', 0]] },
      {
        kind: 'input',
        address: 0,
        count: 6,
        fields: [
          ['a', 0],
          ['b', 2],
          ['c', 4],
        ],
      },
    ]);
  });

  it('never merges different kinds at the same address', () => {
    const plan = planReads(
      [
        reg('i', 0, 'input', 'uint16'),
        reg('h', 1, 'holding', 'uint16'),
        reg('j', 1, 'input', 'uint16'),
      ],
      { maxRegistersPerRead: 125 },
    );
    expect(plan.map((r) => [r.kind, r.address, r.count])).toEqual([
      ['holding', 1, 1],
      ['input', 0, 2],
    ]);
  });

  it('starts a new request at a gap and at the device limit', () => {
    const plan = planReads([reg('a', 0), reg('b', 2), reg('c', 10), reg('d', 12)], {
      maxRegistersPerRead: 4,
    });
    expect(plan.map((r) => [r.address, r.count])).toEqual([
      [0, 4],
      [10, 4],
    ]);
    const limited = planReads([reg('a', 0), reg('b', 2), reg('c', 4)], { maxRegistersPerRead: 4 });
    expect(limited.map((r) => [r.address, r.count])).toEqual([
      [0, 4],
      [4, 2],
    ]);
  });

  it('reads across a gap of at most maxGap registers when asked to', () => {
    const registers = [reg('a', 0), reg('b', 4), reg('c', 9)];
    expect(
      planReads(registers, { maxRegistersPerRead: 125, maxGap: 2 }).map((r) => [
        r.address,
        r.count,
      ]),
    ).toEqual([
      [0, 6],
      [9, 2],
    ]);
    expect(shape(planReads(registers, { maxRegistersPerRead: 125, maxGap: 3 }))).toEqual([
      {
        kind: 'input',
        address: 0,
        count: 11,
        fields: [
          ['a', 0],
          ['b', 4],
          ['c', 9],
        ],
      },
    ]);
  });

  it('keeps overlapping views of the same registers in one request', () => {
    const plan = planReads(
      [
        reg('whole', 10, 'holding', 'uint32'),
        reg('high', 10, 'holding', 'uint16'),
        reg('low', 11, 'holding', 'uint16'),
      ],
      { maxRegistersPerRead: 125 },
    );
    expect(shape(plan)).toEqual([
      {
        kind: 'holding',
        address: 10,
        count: 2,
        fields: [
          ['whole', 0],
          ['high', 0],
          ['low', 1],
        ],
      },
    ]);
  });

  it('counts coils in bits, up to 2000 per request whatever the register limit', () => {
    const coils = Array.from({ length: 10 }, (_, i) => reg(`c${i}`, i, 'coil', 'uint16'));
    expect(
      planReads(coils, { maxRegistersPerRead: 4 }).map((r) => [r.kind, r.address, r.count]),
    ).toEqual([['coil', 0, 10]]);
  });

  it('reads the SDM630 map in six requests of at most 80 registers', () => {
    const profile = loadBuiltinProfile('eastron-sdm630');
    const plan = planReads(profile.registers, {
      maxRegistersPerRead: profile.max_registers_per_read,
    });
    expect(plan.map((r) => [r.address, r.count])).toEqual([
      [0, 36],
      [52, 2],
      [56, 2],
      [60, 4],
      [70, 10],
      [342, 16],
    ]);
    expect(plan.flatMap((r) => r.fields)).toHaveLength(35);
  });
});

describe('decodeAnswer', () => {
  it('decodes each field at its offset and applies scale and offset', () => {
    const registers: ProfileRegister[] = [
      { ...reg('voltage', 0, 'holding', 'uint16'), scale: 0.1, unit: 'V' },
      { ...reg('current', 1, 'holding', 'int16'), scale: 0.01, unit: 'A' },
      {
        ...reg('energy', 2, 'holding', 'uint32'),
        byte_order: 'CDAB',
        scale: 0.001,
        offset: 100,
        unit: 'kWh',
      },
    ];
    const [request] = planReads(registers, { maxRegistersPerRead: 125 });
    if (request === undefined) throw new Error('no request planned');
    const values = decodeAnswer(request, [7503, 0xcfc7, 0x0000, 0x0001]);
    expect(values.map((v) => [v.name, Number(v.value.toFixed(6)), v.unit])).toEqual([
      ['voltage', 750.3, 'V'],
      ['current', -123.45, 'A'],
      ['energy', 165.536, 'kWh'],
    ]);
  });

  it('reads coils as 0 and 1, and refuses a short answer', () => {
    const [request] = planReads(
      [reg('door', 0, 'coil', 'uint16'), reg('fan', 1, 'coil', 'uint16')],
      { maxRegistersPerRead: 125 },
    );
    if (request === undefined) throw new Error('no request planned');
    expect(decodeAnswer(request, [0, 1]).map((v) => v.value)).toEqual([0, 1]);
    expect(() => decodeAnswer(request, [1])).toThrow('the answer to coil 0 has 1 of 2 values');
  });
});

/** Decodes one value of `register` whose words carry `raw`, through a one-request plan. */
function decodeOne(register: ProfileRegister, raw: number): number {
  const [request] = planReads([register], { maxRegistersPerRead: 125 });
  if (request === undefined) throw new Error('no request planned');
  const [value] = decodeAnswer(request, encodeValue(raw, register.data_type, register.byte_order));
  if (value === undefined) throw new Error('nothing decoded');
  return value.value;
}

/** Deterministic float32 readings over many magnitudes and both signs (a 32-bit LCG). */
function float32Readings(count: number): number[] {
  let state = 12345;
  const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return Array.from({ length: count }, () =>
    Math.fround((next() - 0.5) * 10 ** Math.floor(next() * 7)),
  );
}

describe('decodeAnswer with precision', () => {
  it('rounds a float32 reading to Math.round(x * 10^p) / 10^p, an integer over 10^p exactly', () => {
    for (const precision of [0, 1, 2, 3, 4, 5, 6]) {
      const register = { ...reg('v', 0), precision };
      for (const raw of float32Readings(500)) {
        const value = decodeOne(register, raw);
        const n = Math.round(raw * 10 ** precision);
        expect(value).toBe(n / 10 ** precision + 0); // + 0: -0 becomes +0
        // The decimal form of COLUMNS_V1: n = round(v * 10^k), and n / 10^k gives v back bit for bit.
        const again = Math.round(value * 10 ** precision) / 10 ** precision + 0;
        expect(Object.is(again, value)).toBe(true);
        expect(Math.abs(value - raw)).toBeLessThanOrEqual(0.5 / 10 ** precision + 1e-9);
      }
    }
    expect(decodeOne({ ...reg('voltage', 0), precision: 1 }, 231.57)).toBe(231.6);
    expect(decodeOne({ ...reg('current', 0), precision: 3 }, 12.3456)).toBe(12.346);
    expect(decodeOne({ ...reg('powerFactor', 0), precision: 3 }, -0.98765)).toBe(-0.988);
  });

  it('rounds halves up, toward +Infinity, and gives +0 for a negative value that rounds to zero', () => {
    const tenths = { ...reg('v', 0), precision: 1 };
    expect(decodeOne(tenths, 0.25)).toBe(0.3);
    expect(decodeOne(tenths, -0.25)).toBe(-0.2);
    expect(decodeOne({ ...reg('v', 0), precision: 0 }, 2.5)).toBe(3);
    expect(decodeOne({ ...reg('v', 0), precision: 0 }, -2.5)).toBe(-2);
    // -0 would fail the decimal form's bit-for-bit check and cost the whole column.
    expect(Object.is(decodeOne({ ...reg('v', 0), precision: 3 }, -0.0004), 0)).toBe(true);
    expect(Object.is(decodeOne({ ...reg('v', 0), precision: 2 }, -0), 0)).toBe(true);
  });

  it('rounds after scale and offset', () => {
    const deciVolts = { ...reg('voltage', 0, 'holding', 'uint16'), scale: 0.1 };
    expect(decodeOne(deciVolts, 3)).toBe(0.30000000000000004);
    expect(decodeOne({ ...deciVolts, precision: 1 }, 3)).toBe(0.3);
    const current = { ...reg('current', 0, 'holding', 'int16'), scale: 0.01, offset: 0.5 };
    expect(decodeOne({ ...current, precision: 2 }, -12345)).toBe(-122.95);
    expect(decodeOne({ ...current, precision: 1 }, -12345)).toBe(-122.9);
    expect(decodeOne({ ...current, precision: 0 }, 149)).toBe(2);
  });

  it('leaves values without precision bit for bit as decoded, and values too large to round', () => {
    const plain = reg('v', 0);
    for (const raw of [...float32Readings(200), NaN, Infinity])
      expect(Object.is(decodeOne(plain, raw), Math.fround(raw))).toBe(true);
    const scaled = { ...reg('v', 0, 'holding', 'int32'), scale: 0.001, offset: 100 };
    expect(decodeOne(scaled, 98_765_432)).toBe(98_765_432 * 0.001 + 100);
    const wide = { ...reg('v', 0, 'holding', 'float64'), precision: 9 };
    expect(decodeOne(wide, 1e300)).toBe(1e300);
    expect(decodeOne(wide, 0.1 + 0.2)).toBe(0.3);
    expect(decodeOne({ ...wide, precision: 2 }, NaN)).toBeNaN();
    expect(roundToPrecision(-Infinity, 3)).toBe(-Infinity);
  });
});
