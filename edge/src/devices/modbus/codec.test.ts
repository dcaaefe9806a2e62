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

  it('names the eight bytes of a float64 in each order, as Telegraf does', () => {
    // 1234.5678 big-endian: A..H = 40 93 4a 45 6d 5c fa ad.
    const wire = (hex: string) => Buffer.from(hex, 'hex');
    expect(decodeRegisters(wire('40934a456d5cfaad'), 'float64', 'ABCD')).toBe(1234.5678); // ABCDEFGH
    expect(decodeRegisters(wire('faad6d5c4a454093'), 'float64', 'CDAB')).toBe(1234.5678); // GHEFCDAB
    expect(decodeRegisters(wire('9340454a5c6dadfa'), 'float64', 'BADC')).toBe(1234.5678); // BADCFEHG
    expect(decodeRegisters(wire('adfa5c6d454a9340'), 'float64', 'DCBA')).toBe(1234.5678); // HGFEDCBA
  });

  it('reads the raw register bytes modbus-serial hands over as `buffer`', () => {
    expect(decodeRegisters(Buffer.from([0x43, 0x66, 0x19, 0x99]), 'float32', 'ABCD')).toBeCloseTo(
      230.1,
      4,
    );
    expect(decodeRegisters(Buffer.from([0x19, 0x99, 0x43, 0x66]), 'float32', 'CDAB')).toBeCloseTo(
      230.1,
      4,
    );
    expect(decodeRegisters(Buffer.from([0xff, 0xfe]), 'int16', 'ABCD')).toBe(-2);
    expect(decodeRegisters(Buffer.from([0xfe, 0xff]), 'uint16', 'DCBA')).toBe(65534);
  });

  it('refuses the wrong number of registers', () => {
    expect(() => decodeRegisters([1], 'float32', 'ABCD')).toThrow(
      'float32 needs 2 registers, got 1',
    );
    expect(() => decodeRegisters(Buffer.alloc(3), 'float32', 'ABCD')).toThrow(
      'float32 needs 2 registers, got 3 bytes',
    );
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
  it.each(
    cases.flatMap(([type, value]) =>
      (['ABCD', 'CDAB', 'BADC', 'DCBA'] as const).map((order) => [type, value, order] as const),
    ),
  )('round-trips %s %s in %s', (type, value, order) => {
    expect(decodeRegisters(encodeValue(value, type, order), type, order)).toBe(value);
  });

  it('sends 230.1 as float32 in each order', () => {
    // 230.1 rounds to the float32 0x4366199a.
    expect(encodeValue(230.1, 'float32', 'ABCD')).toEqual([0x4366, 0x199a]);
    expect(encodeValue(230.1, 'float32', 'CDAB')).toEqual([0x199a, 0x4366]);
    expect(encodeValue(230.1, 'float32', 'BADC')).toEqual([0x6643, 0x9a19]);
    expect(encodeValue(230.1, 'float32', 'DCBA')).toEqual([0x9a19, 0x6643]);
  });

  it('refuses an integer that does not fit its type', () => {
    expect(() => encodeValue(70_000, 'uint16', 'ABCD')).toThrow(RangeError);
    expect(() => encodeValue(-1, 'uint32', 'ABCD')).toThrow(RangeError);
  });
});
