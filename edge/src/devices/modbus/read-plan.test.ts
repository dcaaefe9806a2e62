import { describe, expect, it } from 'vitest';
import { loadBuiltinProfile, type ProfileRegister } from './profile-schema.js';
import { decodeAnswer, planReads, type ReadRequest } from './read-plan.js';

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
