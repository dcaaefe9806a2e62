import type { RegisterKind } from './codec.js';

// The protocol data unit that both framings carry, RTU behind a unit id and before a CRC, TCP
// behind an MBAP header (Modbus Application Protocol V1.1b3 §4.1).

// §6.1-6.4: read functions per register kind.
export const FUNCTION_CODES: Readonly<Record<RegisterKind, number>> = {
  coil: 0x01,
  discrete: 0x02,
  holding: 0x03,
  input: 0x04,
};
/** §7: an exception answer echoes the function code with this bit set. */
export const EXCEPTION_BIT = 0x80;

// §7, the codes a read can answer with.
const EXCEPTION_NAMES: Readonly<Record<number, string>> = {
  1: 'illegal function',
  2: 'illegal data address',
  3: 'illegal data value',
  4: 'server device failure',
  5: 'acknowledge',
  6: 'server device busy',
  8: 'memory parity error',
  10: 'gateway path unavailable',
  11: 'gateway target device failed to respond',
};

export function isBitKind(kind: RegisterKind): boolean {
  return kind === 'coil' || kind === 'discrete';
}

/** The byte count of a normal answer: one byte per 8 bits, two per register. */
export function answerDataBytes(kind: RegisterKind, count: number): number {
  return isBitKind(kind) ? Math.ceil(count / 8) : count * 2;
}

/** What an exception code means, for messages. */
export function exceptionName(code: number): string {
  return EXCEPTION_NAMES[code] ?? 'unknown exception';
}

/**
 * The `count` registers (16-bit words) or bits (0/1) of an answer whose data starts at `offset`
 * of `frame`; the caller has checked that the bytes are there. Pure.
 */
export function readAnswerData(
  frame: Buffer,
  offset: number,
  kind: RegisterKind,
  count: number,
): number[] {
  const values = new Array<number>(count);
  if (isBitKind(kind)) {
    // Bits come least significant first within each byte (§6.1).
    for (let i = 0; i < count; i++) values[i] = ((frame[offset + (i >> 3)] ?? 0) >> (i & 7)) & 1;
  } else {
    for (let i = 0; i < count; i++) values[i] = frame.readUInt16BE(offset + 2 * i);
  }
  return values;
}
