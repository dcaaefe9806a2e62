import { ColumnsFormatError, type ByteReader, type ByteWriter } from './bytes.js';

/**
 * A column of 32-bit words (float32 bits, the halves of float64 bits, or scaled integers) as
 * differences from the previous word (order 1) or differences of those (order 2, for values
 * that move smoothly), whichever is smaller, in wrapping 32-bit arithmetic so any word
 * round-trips. The zigzagged residuals are written as byte planes (all high bytes, then the
 * next...), leaving out planes that are all zero: gzip then finds the long runs of zero and
 * near-zero high bytes that small residuals make.
 */
const ORDER_DELTA = 1;
const ORDER_DELTA_OF_DELTA = 2;
const PLANE_SHIFTS = [24, 16, 8, 0] as const;

function zigzag32(value: number): number {
  return ((value << 1) ^ (value >> 31)) >>> 0;
}

function unzigzag32(value: number): number {
  return (value >>> 1) ^ -(value & 1);
}

function residuals(words: Int32Array, order: number, out: Uint32Array): number {
  let previous = 0;
  let previousDelta = 0;
  let bits = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? 0;
    const delta = (word - previous) | 0;
    const residual = order === ORDER_DELTA || i < 2 ? delta : (delta - previousDelta) | 0;
    const z = zigzag32(residual);
    out[i] = z;
    bits += 32 - Math.clz32(z);
    previous = word;
    // The second residual is the first delta, not its difference from the first word.
    previousDelta = i === 0 ? 0 : delta;
  }
  return bits;
}

export function writeWords(out: ByteWriter, words: Int32Array): void {
  const first = new Uint32Array(words.length);
  const second = new Uint32Array(words.length);
  const isSmooth = residuals(words, ORDER_DELTA_OF_DELTA, second) < residuals(words, ORDER_DELTA, first);
  const zigzagged = isSmooth ? second : first;
  out.u8(isSmooth ? ORDER_DELTA_OF_DELTA : ORDER_DELTA);
  let mask = 0;
  for (const z of zigzagged) mask |= z;
  let planes = 0;
  PLANE_SHIFTS.forEach((shift, p) => {
    if ((mask >>> shift) & 0xff) planes |= 1 << p;
  });
  out.u8(planes);
  PLANE_SHIFTS.forEach((shift, p) => {
    if (!(planes & (1 << p))) return;
    const { bytes, at } = out.reserve(zigzagged.length);
    for (let i = 0; i < zigzagged.length; i++) bytes[at + i] = ((zigzagged[i] ?? 0) >>> shift) & 0xff;
  });
}

export function readWords(input: ByteReader, count: number, what: string): Int32Array {
  const order = input.u8(`${what} order`);
  if (order !== ORDER_DELTA && order !== ORDER_DELTA_OF_DELTA) throw new ColumnsFormatError(`columns: ${what} order must be 1 or 2 (got ${order})`);
  const planes = input.u8(`${what} planes`);
  if (planes > 0xf) throw new ColumnsFormatError(`columns: ${what} planes must be a 4-bit mask (got ${planes})`);
  const zigzagged = new Uint32Array(count);
  PLANE_SHIFTS.forEach((shift, p) => {
    if (!(planes & (1 << p))) return;
    const plane = input.slice(count, `${what} plane ${p}`);
    for (let i = 0; i < count; i++) zigzagged[i] = ((zigzagged[i] ?? 0) | ((plane[i] ?? 0) << shift)) >>> 0;
  });
  const words = new Int32Array(count);
  let previous = 0;
  let previousDelta = 0;
  for (let i = 0; i < count; i++) {
    const residual = unzigzag32(zigzagged[i] ?? 0);
    const delta = order === ORDER_DELTA || i < 2 ? residual : (residual + previousDelta) | 0;
    previous = (previous + delta) | 0;
    words[i] = previous;
    previousDelta = i === 0 ? 0 : delta;
  }
  return words;
}
