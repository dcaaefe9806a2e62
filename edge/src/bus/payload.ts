import { Decoder } from 'cbor-x';
import { problemsFromAjv, formatProblem } from '@coupler/kit';
import type { Reading, SignalValue } from '../records/index.js';
import { CLOUD_BOUND_KINDS, type CloudBoundKind, type PayloadEncoding, type ReadingPayload } from './topics.js';
import { readingPayloadValidator } from './validate-payload.js';

// Maps stay Maps and no record extension: every map is turned into a plain object below, by
// our rules, so a `__proto__` key becomes an ordinary (and refused) key, never a prototype.
const cbor = new Decoder({ mapsAsObjects: false, useRecords: false });
/** Deeper than any valid reading (object, values array, value object). */
const MAX_CBOR_DEPTH = 8;
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export type DecodeResult = { ok: true; reading: Reading } | { ok: false; reason: string };

class CborShapeError extends Error {}

/** CBOR data items a reading may hold (RFC 8949 major types 0-5 and 7, text keys) as plain JSON values. */
function toPlain(item: unknown, depth: number): unknown {
  if (depth > MAX_CBOR_DEPTH) throw new CborShapeError('CBOR payload is nested too deeply');
  if (typeof item === 'number' && !Number.isFinite(item)) throw new CborShapeError('CBOR payload holds NaN or an infinity, which a reading cannot');
  if (item === null || typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') return item;
  // cbor-x decodes every 8-byte integer (RFC 8949 §3: additional information 27) as a bigint, and a
  // device's encoder writes any integer of 2^32 or more that way: a millisecond timestamp is one.
  if (typeof item === 'bigint' && item >= MIN_SAFE && item <= MAX_SAFE) return Number(item);
  if (Array.isArray(item)) return item.map((child) => toPlain(child, depth + 1));
  if (item instanceof Map) {
    const entries: [string, unknown][] = [];
    for (const [key, value] of item as Map<unknown, unknown>) {
      if (typeof key !== 'string') throw new CborShapeError('CBOR map keys must be text strings');
      entries.push([key, toPlain(value, depth + 1)]);
    }
    // Object.fromEntries defines own properties, so "__proto__" cannot set a prototype.
    return Object.fromEntries(entries);
  }
  const what = typeof item === 'bigint' ? 'an integer beyond 2^53' : typeof item === 'object' ? `a ${item.constructor.name}` : `a ${typeof item}`;
  throw new CborShapeError(`CBOR payload holds ${what}, which a reading cannot`);
}

function parseBody(payload: Buffer, encoding: PayloadEncoding): { body: unknown } | { reason: string } {
  if (encoding === 'json') {
    try {
      return { body: JSON.parse(payload.toString('utf8')) as unknown };
    } catch {
      return { reason: 'payload is not valid JSON' };
    }
  }
  let item: unknown;
  try {
    // Exactly one data item: trailing bytes are refused by decode().
    item = cbor.decode(payload);
  } catch {
    return { reason: 'payload is not valid CBOR' };
  }
  try {
    return { body: toPlain(item, 0) };
  } catch (err) {
    if (err instanceof CborShapeError) return { reason: err.message };
    throw err;
  }
}

/** Turns a device's JSON or CBOR payload into a reading, or names what is wrong with it. Pure. */
export function decodeReadingPayload(
  payload: Buffer,
  target: { deviceId: string; kind: CloudBoundKind; encoding?: PayloadEncoding },
  nowMs: number,
): DecodeResult {
  const parsed = parseBody(payload, target.encoding ?? 'json');
  if ('reason' in parsed) return { ok: false, reason: parsed.reason };
  const { body } = parsed;
  const validatePayload = readingPayloadValidator();
  if (!validatePayload(body)) {
    const problems = problemsFromAjv(validatePayload.errors ?? [], body);
    return { ok: false, reason: problems.map(formatProblem).join('; ') };
  }
  return {
    ok: true,
    reading: {
      deviceId: target.deviceId,
      timestampMs: body.timestampMs ?? nowMs,
      quality: body.quality ?? 'good',
      lane: CLOUD_BOUND_KINDS[target.kind],
      values: withUnits(body.values),
    },
  };
}

/**
 * The parsed values themselves, each given its unit ('' when absent): the schema allows no other
 * keys, so they already have a reading's shape, and nothing else holds the parsed body.
 */
function withUnits(values: ReadingPayload['values']): SignalValue[] {
  for (const value of values) value.unit ??= '';
  return values as SignalValue[];
}

export function encodeReadingPayload(reading: Reading): Buffer {
  const payload: ReadingPayload = { timestampMs: reading.timestampMs, quality: reading.quality, values: reading.values };
  return Buffer.from(JSON.stringify(payload));
}
