/** Register kinds: FC 1 coil, FC 2 discrete input, FC 3 holding register, FC 4 input register. */
export type RegisterKind = 'coil' | 'discrete' | 'holding' | 'input';
export type DataType = 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';
/**
 * The order in which the bytes of a value arrive, named as Telegraf names it; A is the most
 * significant byte. Home Assistant's `swap` maps as none = ABCD, word = CDAB, byte = BADC,
 * word_byte = DCBA.
 *
 * - ABCD: big-endian, most significant register first (the Modbus default, Eastron).
 * - CDAB: registers in reverse order, bytes within each register big-endian.
 * - BADC: registers most significant first, the two bytes of each register swapped.
 * - DCBA: both, i.e. fully little-endian.
 *
 * For float64 (four registers, bytes A..H) the same two independent swaps apply, as Telegraf
 * does it: ABCD = ABCDEFGH, CDAB = GHEFCDAB (all four registers reversed), BADC = BADCFEHG,
 * DCBA = HGFEDCBA. For 16-bit types only the byte swap exists: CDAB reads as ABCD, DCBA as BADC.
 */
export type ByteOrder = 'ABCD' | 'CDAB' | 'BADC' | 'DCBA';

export const DATA_TYPES: readonly DataType[] = [
  'int16',
  'uint16',
  'int32',
  'uint32',
  'float32',
  'float64',
];
export const BYTE_ORDERS: readonly ByteOrder[] = ['ABCD', 'CDAB', 'BADC', 'DCBA'];

export const WORDS_PER_TYPE: Readonly<Record<DataType, number>> = {
  int16: 1,
  uint16: 1,
  int32: 2,
  uint32: 2,
  float32: 2,
  float64: 4,
};

function isWordSwapped(byteOrder: ByteOrder): boolean {
  return byteOrder === 'CDAB' || byteOrder === 'DCBA';
}

function isByteSwapped(byteOrder: ByteOrder): boolean {
  return byteOrder === 'BADC' || byteOrder === 'DCBA';
}

/** Registers as they came off the wire (2 bytes each, big-endian per Modbus) -> value bytes, big-endian. */
function toBigEndian(registers: Buffer, byteOrder: ByteOrder): Buffer {
  const words = registers.length / 2;
  const bytes = Buffer.alloc(registers.length);
  for (let i = 0; i < words; i++) {
    const from = isWordSwapped(byteOrder) ? words - 1 - i : i;
    registers.copy(bytes, i * 2, from * 2, from * 2 + 2);
  }
  if (isByteSwapped(byteOrder)) bytes.swap16();
  return bytes;
}

/**
 * Decodes the registers of one value: 16-bit words or the raw register bytes (two bytes per
 * register, big-endian). Pure.
 */
export function decodeRegisters(
  registers: readonly number[] | Buffer,
  dataType: DataType,
  byteOrder: ByteOrder,
): number {
  const expected = WORDS_PER_TYPE[dataType];
  const count = Buffer.isBuffer(registers) ? registers.length / 2 : registers.length;
  if (count !== expected) {
    const got = Buffer.isBuffer(registers) ? `${registers.length} bytes` : `${registers.length}`;
    throw new RangeError(`${dataType} needs ${expected} registers, got ${got}`);
  }
  const words = Buffer.isBuffer(registers)
    ? Array.from({ length: count }, (_, i) => registers.readUInt16BE(i * 2))
    : registers;
  return decodeWordsAt(words, 0, dataType, byteOrder);
}

// One scratch for all decodes: a decode runs to its end before the next begins, and keeps nothing in it.
const scratch = new DataView(new ArrayBuffer(8));

/**
 * Decodes the value whose registers start at `words[offset]`, without allocating: a poll
 * decodes thousands of values a second. The caller has checked that the words are there.
 */
export function decodeWordsAt(
  words: readonly number[],
  offset: number,
  dataType: DataType,
  byteOrder: ByteOrder,
): number {
  const count = WORDS_PER_TYPE[dataType];
  const wordSwapped = isWordSwapped(byteOrder);
  const byteSwapped = isByteSwapped(byteOrder);
  for (let i = 0; i < count; i++) {
    const word = (words[offset + (wordSwapped ? count - 1 - i : i)] ?? 0) & 0xffff;
    scratch.setUint16(i * 2, byteSwapped ? ((word & 0xff) << 8) | (word >> 8) : word);
  }
  switch (dataType) {
    case 'int16':
      return scratch.getInt16(0);
    case 'uint16':
      return scratch.getUint16(0);
    case 'int32':
      return scratch.getInt32(0);
    case 'uint32':
      return scratch.getUint32(0);
    case 'float32':
      return scratch.getFloat32(0);
    case 'float64':
      return scratch.getFloat64(0);
  }
}

/**
 * The inverse of decodeRegisters: the 16-bit words a device sends for `value`. Integer types
 * round to the nearest integer and throw a RangeError when the value does not fit. Pure.
 */
export function encodeValue(value: number, dataType: DataType, byteOrder: ByteOrder): number[] {
  const count = WORDS_PER_TYPE[dataType];
  const bytes = Buffer.alloc(count * 2);
  switch (dataType) {
    case 'int16':
      bytes.writeInt16BE(Math.round(value), 0);
      break;
    case 'uint16':
      bytes.writeUInt16BE(Math.round(value), 0);
      break;
    case 'int32':
      bytes.writeInt32BE(Math.round(value), 0);
      break;
    case 'uint32':
      bytes.writeUInt32BE(Math.round(value), 0);
      break;
    case 'float32':
      bytes.writeFloatBE(value, 0);
      break;
    case 'float64':
      bytes.writeDoubleBE(value, 0);
      break;
  }
  // Both swaps are their own inverse, so the same reordering turns big-endian into wire order.
  const wire = toBigEndian(bytes, byteOrder);
  return Array.from({ length: count }, (_, i) => wire.readUInt16BE(i * 2));
}
