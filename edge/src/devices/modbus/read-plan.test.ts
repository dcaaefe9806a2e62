import { describe, expect, it } from 'vitest';
import type { ProfileRegister } from './profile.js';
import { planReads } from './read-plan.js';

function reg(name: string, address: number, register: ProfileRegister['register'] = 'input', data_type: ProfileRegister['data_type'] = 'float32'): ProfileRegister {
  return { name, address, register, data_type, byte_order: 'ABCD', scale: 1, offset: 0, unit: '' };
}

describe('planReads', () => {
  it('merges touching registers of one kind into one request and keeps each field offset', () => {
    const plan = planReads([reg('c', 4), reg('a', 0), reg('b', 2), reg('h', 0, 'holding', 'uint16')], 125);
    expect(plan.map(({ kind, address, count, fields }) => ({ kind, address, count, fields: fields.map((f) => [f.register.name, f.offset]) }))).toEqual([
      { kind: 'holding', address: 0, count: 1, fields: [['h', 0]] },
      { kind: 'input', address: 0, count: 6, fields: [['a', 0], ['b', 2], ['c', 4]] },
    ]);
  });

  it('starts a new request at a gap and at the device limit', () => {
    const plan = planReads([reg('a', 0), reg('b', 2), reg('c', 10), reg('d', 12)], 4);
    expect(plan.map((r) => [r.address, r.count])).toEqual([[0, 4], [10, 4]]);
    const limited = planReads([reg('a', 0), reg('b', 2), reg('c', 4)], 4);
    expect(limited.map((r) => [r.address, r.count])).toEqual([[0, 4], [4, 2]]);
  });

  it('reads the SDM630 map in six requests', async () => {
    const { resolveProfile } = await import('./profile.js');
    const profile = resolveProfile('eastron-sdm630');
    expect(planReads(profile.registers, profile.max_registers_per_read).map((r) => [r.address, r.count])).toEqual([
      [0, 36], [52, 2], [56, 2], [60, 4], [70, 10], [342, 16],
    ]);
  });
});
