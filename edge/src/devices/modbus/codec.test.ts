import { describe, expect, it } from 'vitest';
import { decodeRegisters, encodeValue, type ByteOrder, type DataType } from './codec.js';

describe('decodeRegisters', () => {
  // 230.1 as float32 is 0x43661999: bytes A=43 B=66 C=19 D=99.
  it.each<[ByteOrder, number[]]>([
    ['ABCD', [0x4366, 0x1999]],
    ['CDAB', [0x1999, 0x4366]],
    ['BADC', [0x6643, 0x9919]],
    ['DCBA', [0x9919, 0x6643]],
  ])('reads float32 230.1 sent as %s', (order, words) => {
    expect(decodeRegisters(words, 'float32', order)).toBeCloseTo(230.1, 4);
  });

  it('reads signed and unsigned 16 and 32-bit integers', () => {
    expect(decodeRegisters([0xfffe], 'int16', 'ABCD')).toBe(-2);
    expect(decodeRegisters([0xfffe], 'uint16', 'ABCD')).toBe(65534);
    expect(decodeRegisters([0xfeff], 'int16', 'BADC')).toBe(-2);
    expect(decodeRegisters([0xffff, 0xfffe], 'int32', 'ABCD')).toBe(-2);
    expect(decodeRegisters([0x0001, 0x0000], 'uint32', 'CDAB')).toBe(1);
    expect(decodeRegisters([0x0012, 0xd687], 'uint32', 'ABCD')).toBe(1234567);
  });

  it('reads float64 in all four orders', () => {
    const big = [0x4093, 0x4a45, 0x6d5c, 0xfaad]; // 1234.5678 as an IEEE-754 double, big-endian
    expect(decodeRegisters(big, 'float64', 'ABCD')).toBe(1234.5678);
    expect(decodeRegisters([...big].reverse(), 'float64', 'CDAB')).toBe(1234.5678);
    const swapped = big.map((w) => ((w & 0xff) << 8) | (w >> 8));
    expect(decodeRegisters(swapped, 'float64', 'BADC')).toBe(1234.5678);
    expect(decodeRegisters([...swapped].reverse(), 'float64', 'DCBA')).toBe(1234.5678);
  });

  it('refuses the wrong number of registers', () => {
    expect(() => decodeRegisters([1], 'float32', 'ABCD')).toThrow('float32 needs 2 registers, got 1');
  });
});

describe('encodeValue', () => {
  const cases: [DataType, number][] = [
    ['int16', -1234],
    ['uint16', 54321],
    ['int32', -123456789],
    ['uint32', 4000000000],
    ['float32', 49.5],
    ['float64', -0.000123456789],
  ];
  it.each(cases.flatMap(([type, value]) => (['ABCD', 'CDAB', 'BADC', 'DCBA'] as const).map((order) => [type, value, order] as const)))(
    'round-trips %s %s in %s',
    (type, value, order) => {
      expect(decodeRegisters(encodeValue(value, type, order), type, order)).toBe(value);
    },
  );
});
