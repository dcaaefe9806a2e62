/** Register kinds: FC 1 coil, FC 2 discrete input, FC 3 holding register, FC 4 input register. */
export type RegisterKind = 'coil' | 'discrete' | 'holding' | 'input';
export type DataType = 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';
/**
 * Order of the bytes A (most significant) .. D as they arrive, named as Telegraf does.
 * ABCD is big-endian with the high word first (Home Assistant `swap: none`), CDAB swaps the
 * words (`word`), BADC swaps the bytes in each word (`byte`), DCBA both (`word_byte`). For
 * 64-bit values the same two swaps apply to four words: word order reversed, bytes swapped.
 */
export type ByteOrder = 'ABCD' | 'CDAB' | 'BADC' | 'DCBA';

export const WORDS_PER_TYPE: Readonly<Record<DataType, number>> = {
  int16: 1,
  uint16: 1,
  int32: 2,
  uint32: 2,
  float32: 2,
  float64: 4,
};

function toBigEndian(words: readonly number[], byteOrder: ByteOrder): Buffer {
  const ordered = byteOrder === 'CDAB' || byteOrder === 'DCBA' ? [...words].reverse() : words;
  const bytes = Buffer.alloc(ordered.length * 2);
  ordered.forEach((word, i) => bytes.writeUInt16BE(word & 0xffff, i * 2));
  if (byteOrder === 'BADC' || byteOrder === 'DCBA') bytes.swap16();
  return bytes;
}

/** Decodes the raw 16-bit words of one value. Pure. */
export function decodeRegisters(words: readonly number[], dataType: DataType, byteOrder: ByteOrder): number {
  const expected = WORDS_PER_TYPE[dataType];
  if (words.length !== expected) throw new RangeError(`${dataType} needs ${expected} registers, got ${words.length}`);
  // A single register has no word order; only a byte swap applies.
  const order = expected === 1 && (byteOrder === 'CDAB' || byteOrder === 'DCBA') ? (byteOrder === 'CDAB' ? 'ABCD' : 'BADC') : byteOrder;
  const bytes = toBigEndian(words, order);
  switch (dataType) {
    case 'int16':
      return bytes.readInt16BE(0);
    case 'uint16':
      return bytes.readUInt16BE(0);
    case 'int32':
      return bytes.readInt32BE(0);
    case 'uint32':
      return bytes.readUInt32BE(0);
    case 'float32':
      return bytes.readFloatBE(0);
    case 'float64':
      return bytes.readDoubleBE(0);
  }
}

/** The inverse of decodeRegisters: the words a device would send for `value`. Pure. */
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
  const order = count === 1 && (byteOrder === 'CDAB' || byteOrder === 'DCBA') ? (byteOrder === 'CDAB' ? 'ABCD' : 'BADC') : byteOrder;
  if (order === 'BADC' || order === 'DCBA') bytes.swap16();
  const words = Array.from({ length: count }, (_, i) => bytes.readUInt16BE(i * 2));
  return order === 'CDAB' || order === 'DCBA' ? words.reverse() : words;
}
