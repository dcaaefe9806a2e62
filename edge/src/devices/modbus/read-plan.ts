import type { SignalValue } from '../../records/index.js';
import { decodeWordsAt, WORDS_PER_TYPE, type RegisterKind } from './codec.js';
import type { ProfileRegister } from './profile-schema.js';

// Modbus Application Protocol V1.1b3 §6.1/§6.2: FC1/FC2 read 1 to 2000 bits per request.
export const MAX_BITS_PER_READ = 2000;

export interface ReadField {
  register: ProfileRegister;
  /** Position of the value in the answer, in registers (or bits) from the request's address. */
  offset: number;
}

export interface ReadRequest {
  kind: RegisterKind;
  address: number;
  /** Registers (or bits, for coils and discrete inputs) to read. */
  count: number;
  fields: ReadField[];
}

export interface PlanOptions {
  /** Largest register read the device answers (the profile's max_registers_per_read). */
  maxRegistersPerRead: number;
  /** Unmapped registers a request may read across to save a request; 0 reads only contiguous values. */
  maxGap?: number;
}

/** Registers (or bits) one value takes. */
export function sizeOf(register: ProfileRegister): number {
  return register.register === 'coil' || register.register === 'discrete'
    ? 1
    : WORDS_PER_TYPE[register.data_type];
}

/**
 * Merges the values of one register kind that touch (or overlap, or sit at most `maxGap`
 * apart) into one request of at most `maxRegistersPerRead` registers, so a meter answers one
 * request instead of one per value. Requests are sorted by kind, then address. Pure.
 */
export function planReads(
  registers: readonly ProfileRegister[],
  options: PlanOptions,
): ReadRequest[] {
  const maxGap = options.maxGap ?? 0;
  const sorted = [...registers].sort(
    (a, b) => a.register.localeCompare(b.register) || a.address - b.address,
  );
  const requests: ReadRequest[] = [];
  let current: ReadRequest | undefined;
  for (const register of sorted) {
    const end = register.address + sizeOf(register);
    const limit =
      register.register === 'coil' || register.register === 'discrete'
        ? MAX_BITS_PER_READ
        : options.maxRegistersPerRead;
    if (
      current !== undefined &&
      current.kind === register.register &&
      register.address - (current.address + current.count) <= maxGap &&
      Math.max(current.address + current.count, end) - current.address <= limit
    ) {
      current.count = Math.max(current.count, end - current.address);
      current.fields.push({ register, offset: register.address - current.address });
      continue;
    }
    current = {
      kind: register.register,
      address: register.address,
      count: sizeOf(register),
      fields: [{ register, offset: 0 }],
    };
    requests.push(current);
  }
  return requests;
}

// At or above 2^52 a float has no fraction left: x * 10^p is already whole, and dividing again
// could move x by one unit in the last place (or overflow to Infinity for a float64 register).
const WHOLE = 2 ** 52;

/**
 * `x` rounded to `precision` decimal places as `Math.round(x * 10^p) / 10^p`: the nearest
 * float64 to a decimal of p places, the form COLUMNS_V1 stores as an integer (decision 0021).
 * Halves round up (toward +Infinity), like Math.round. A negative result that rounds to zero is
 * +0, not -0, which would cost its column the decimal form. Values too large to have a digit at
 * 10^-p, NaN and infinities are returned as they are. Pure.
 */
export function roundToPrecision(x: number, precision: number): number {
  const factor = 10 ** precision;
  const scaled = x * factor;
  if (!(Math.abs(scaled) < WHOLE)) return x;
  return Math.round(scaled) / factor + 0;
}

/**
 * The values one answer carries: each field decoded from its words (bits read as 0/1), then
 * `raw * scale + offset`, rounded to the register's `precision` when it has one, in plan
 * order, appended to `into` (a new array by default). Pure apart from `into`.
 */
export function decodeAnswer(
  request: ReadRequest,
  words: readonly number[],
  into: SignalValue[] = [],
): SignalValue[] {
  if (words.length < request.count)
    throw new RangeError(
      `the answer to ${request.kind} ${request.address} has ${words.length} of ${request.count} values`,
    );
  const isBits = request.kind === 'coil' || request.kind === 'discrete';
  for (const { register, offset } of request.fields) {
    const raw = isBits
      ? (words[offset] ?? 0)
      : decodeWordsAt(words, offset, register.data_type, register.byte_order);
    const value = raw * register.scale + register.offset;
    into.push({
      name: register.name,
      value: register.precision === undefined ? value : roundToPrecision(value, register.precision),
      unit: register.unit,
    });
  }
  return into;
}
