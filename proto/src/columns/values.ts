import { ColumnsFormatError, type ByteReader, type ByteWriter } from './bytes.js';
import { readWords, writeWords } from './words.js';

/**
 * One value column: each value as a 32-bit word (or two), chosen so that decoding gives back
 * exactly the same float64. The smallest form every value of the column fits wins:
 *   decimal k:  value === n / 10^k  for an int32 n   (230.1 as 2301 / 10)
 *   scaled k:   value === n * 10^-k for an int32 n   (what raw * 0.1 gives: 230.10000000000002)
 *   float32:    the value is a float32 (a Modbus float register), its 32 bits
 *   float64:    anything else: the high and the low 32 bits
 * Each is checked value by value with Object.is, so -0 and every bit of the value survive.
 */
const KIND_DECIMAL = 1;
const KIND_SCALED = 2;
const KIND_FLOAT32 = 3;
const KIND_FLOAT64 = 4;
const MAX_DIGITS = 6;
const POWERS = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000] as const;
// 10^-k as the float64 literals a profile's `scale` holds.
const FRACTIONS = [1, 0.1, 0.01, 0.001, 0.0001, 0.00001, 0.000001] as const;
const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

const float64 = new Float64Array(1);
const halves = new Int32Array(float64.buffer);
// Float64Array and Int32Array share the platform's byte order; find which half holds the sign.
const HIGH = new Uint8Array(new Float64Array([-0]).buffer)[7] === 0x80 ? 1 : 0;
const LOW = 1 - HIGH;
const float32 = new Float32Array(1);
const float32Bits = new Int32Array(float32.buffer);

type Decode = (n: number, k: number) => number;
const decodeDecimal: Decode = (n, k) => n / (POWERS[k] ?? 1);
const decodeScaled: Decode = (n, k) => n * (FRACTIONS[k] ?? 1);

/** The int32 words that `decode` turns back into exactly these values, or undefined. */
function asIntegers(values: Float64Array, k: number, decode: Decode): Int32Array | undefined {
  const power = POWERS[k] ?? 1;
  const words = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i] ?? 0;
    const n = Math.round(value * power);
    if (!(n >= INT32_MIN && n <= INT32_MAX) || !Object.is(decode(n | 0, k), value)) return undefined;
    words[i] = n;
  }
  return words;
}

function isFloat32(values: Float64Array): boolean {
  for (const value of values) if (Math.fround(value) !== value) return false;
  return true;
}

export function writeValues(out: ByteWriter, values: Float64Array): void {
  for (let k = 0; k <= MAX_DIGITS; k++) {
    const words = asIntegers(values, k, decodeDecimal);
    if (words) {
      out.u8(KIND_DECIMAL);
      out.u8(k);
      writeWords(out, words);
      return;
    }
  }
  for (let k = 1; k <= MAX_DIGITS; k++) {
    const words = asIntegers(values, k, decodeScaled);
    if (words) {
      out.u8(KIND_SCALED);
      out.u8(k);
      writeWords(out, words);
      return;
    }
  }
  if (isFloat32(values)) {
    const words = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      float32[0] = values[i] ?? 0;
      words[i] = float32Bits[0] ?? 0;
    }
    out.u8(KIND_FLOAT32);
    writeWords(out, words);
    return;
  }
  const high = new Int32Array(values.length);
  const low = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    float64[0] = values[i] ?? 0;
    high[i] = halves[HIGH] ?? 0;
    low[i] = halves[LOW] ?? 0;
  }
  out.u8(KIND_FLOAT64);
  writeWords(out, high);
  writeWords(out, low);
}

export function readValues(input: ByteReader, count: number, what: string): Float64Array {
  const kind = input.u8(`${what} kind`);
  const values = new Float64Array(count);
  if (kind === KIND_DECIMAL || kind === KIND_SCALED) {
    const k = input.u8(`${what} digits`);
    if (k > MAX_DIGITS) throw new ColumnsFormatError(`columns: ${what} digits must be at most ${MAX_DIGITS} (got ${k})`);
    const decode = kind === KIND_DECIMAL ? decodeDecimal : decodeScaled;
    const words = readWords(input, count, what);
    for (let i = 0; i < count; i++) values[i] = decode(words[i] ?? 0, k);
    return values;
  }
  if (kind === KIND_FLOAT32) {
    const words = readWords(input, count, what);
    for (let i = 0; i < count; i++) {
      float32Bits[0] = words[i] ?? 0;
      values[i] = float32[0] ?? 0;
    }
    return values;
  }
  if (kind === KIND_FLOAT64) {
    const high = readWords(input, count, `${what} high bits`);
    const low = readWords(input, count, `${what} low bits`);
    for (let i = 0; i < count; i++) {
      halves[HIGH] = high[i] ?? 0;
      halves[LOW] = low[i] ?? 0;
      values[i] = float64[0] ?? 0;
    }
    return values;
  }
  throw new ColumnsFormatError(`columns: ${what} kind must be 1 (decimal), 2 (scaled), 3 (float32) or 4 (float64) (got ${kind})`);
}
