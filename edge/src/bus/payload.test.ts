import { encode as encodeCbor } from 'cbor-x';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeReadingPayload, type DecodeResult } from './payload.js';
import { CLOUD_BOUND_KINDS, type CloudBoundKind, type PayloadEncoding } from './topics.js';

/** Cases per property here; `npm run fuzz` raises it (COUPLER_FUZZ_RUNS). */
const FUZZ_RUNS = Number(process.env.COUPLER_FUZZ_RUNS ?? 200);
const NOW_MS = 1_700_000_000_000;
const KINDS = Object.keys(CLOUD_BOUND_KINDS) as CloudBoundKind[];

/**
 * A second CBOR encoder, written from RFC 8949 rather than taken from cbor-x: integers in their
 * shortest form (§4.2.1 preferred serialisation, as tinycbor or QCBOR on a device write them),
 * so an 8-byte integer (additional information 27) is what a millisecond timestamp becomes.
 */
type CborItem =
  | { int: bigint }
  | { float64: number }
  | { text: string }
  | { bytes: Uint8Array }
  | { array: CborItem[] }
  | { map: [CborItem, CborItem][] }
  | { tag: number; item: CborItem }
  | { simple: 'false' | 'true' | 'null' | 'undefined' };

function head(major: number, n: bigint): Buffer {
  if (n < 24n) return Buffer.from([(major << 5) | Number(n)]);
  if (n < 0x100n) return Buffer.from([(major << 5) | 24, Number(n)]);
  if (n < 0x10000n) return Buffer.from([(major << 5) | 25, Number(n >> 8n), Number(n & 0xffn)]);
  const b = Buffer.alloc(n < 0x100000000n ? 5 : 9);
  b[0] = (major << 5) | (b.length === 5 ? 26 : 27);
  if (b.length === 5) b.writeUInt32BE(Number(n), 1);
  else b.writeBigUInt64BE(n, 1);
  return b;
}

function cbor(item: CborItem): Buffer {
  if ('int' in item) return item.int >= 0n ? head(0, item.int) : head(1, -1n - item.int);
  if ('float64' in item) {
    const b = Buffer.alloc(9);
    b[0] = 0xfb;
    b.writeDoubleBE(item.float64, 1);
    return b;
  }
  if ('text' in item) {
    const bytes = Buffer.from(item.text, 'utf8');
    return Buffer.concat([head(3, BigInt(bytes.length)), bytes]);
  }
  if ('bytes' in item) return Buffer.concat([head(2, BigInt(item.bytes.length)), item.bytes]);
  if ('array' in item) return Buffer.concat([head(4, BigInt(item.array.length)), ...item.array.map(cbor)]);
  if ('map' in item) return Buffer.concat([head(5, BigInt(item.map.length)), ...item.map.flatMap(([k, v]) => [cbor(k), cbor(v)])]);
  if ('tag' in item) return Buffer.concat([head(6, BigInt(item.tag)), cbor(item.item)]);
  return Buffer.from([{ false: 0xf4, true: 0xf5, null: 0xf6, undefined: 0xf7 }[item.simple]]);
}

/** A plain JSON-like value as CBOR: whole numbers up to 2^53 as integers, others as float64. */
function cborOf(value: unknown): CborItem {
  if (typeof value === 'number') return Number.isSafeInteger(value) && !Object.is(value, -0) ? { int: BigInt(value) } : { float64: value };
  if (typeof value === 'string') return { text: value };
  if (typeof value === 'boolean') return { simple: value ? 'true' : 'false' };
  if (value === null || value === undefined) return { simple: 'null' };
  if (Array.isArray(value)) return { array: value.map(cborOf) };
  return { map: Object.entries(value as Record<string, unknown>).map(([k, v]) => [{ text: k }, cborOf(v)]) };
}

const cborItem: fc.Arbitrary<CborItem> = fc.letrec<{ item: CborItem }>((tie) => ({
  item: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.bigInt({ min: -(1n << 64n), max: (1n << 64n) - 1n }).map((int) => ({ int })),
    fc.double().map((float64) => ({ float64 })),
    fc.string({ unit: 'binary', maxLength: 20 }).map((text) => ({ text })),
    fc.uint8Array({ maxLength: 20 }).map((bytes) => ({ bytes })),
    fc.constantFrom('false', 'true', 'null', 'undefined').map((simple) => ({ simple })),
    fc.array(tie('item'), { maxLength: 4 }).map((array) => ({ array })),
    fc.array(fc.tuple(fc.oneof(fc.string({ maxLength: 12 }).map((text): CborItem => ({ text })), tie('item')), tie('item')), { maxLength: 4 }).map((map) => ({ map })),
    fc.tuple(fc.nat({ max: 300 }), tie('item')).map(([tag, item]) => ({ tag, item })),
  ),
})).item;

const validValue = fc.record(
  {
    name: fc.string({ unit: 'binary', minLength: 1, maxLength: 64 }),
    // -0 has no JSON form of its own; 0 stands for it.
    value: fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => (Object.is(v, -0) ? 0 : v)),
    unit: fc.string({ unit: 'binary', maxLength: 16 }),
  },
  { requiredKeys: ['name', 'value'] },
);
const validPayload = fc.record(
  {
    timestampMs: fc.maxSafeNat(),
    quality: fc.constantFrom('good', 'uncertain', 'bad'),
    values: fc.array(validValue, { minLength: 1, maxLength: 8 }),
  },
  { requiredKeys: ['values'] },
);

/** A valid payload with one thing wrong: a key set to any JSON value, a key dropped, or one added. */
const wrongPayload = fc.tuple(validPayload, fc.nat(), fc.constantFrom('set', 'drop', 'add', 'setInValue'), fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer()), fc.string({ maxLength: 10 })).map(([payload, pick, how, value, key]) => {
  const copy = structuredClone(payload) as Record<string, unknown> & { values: Record<string, unknown>[] };
  const target = how === 'setInValue' ? (copy.values[pick % copy.values.length] ?? copy) : copy;
  const keys = how === 'setInValue' ? ['name', 'value', 'unit'] : ['timestampMs', 'quality', 'values'];
  const chosen = keys[pick % keys.length] ?? 'values';
  if (how === 'drop') Reflect.deleteProperty(target, chosen);
  else if (how === 'add') target[`${key}x`] = value;
  else target[chosen] = value;
  return copy;
});

function encodingOf(kind: CloudBoundKind, encoding: PayloadEncoding) {
  return { deviceId: 'dev-1', kind, encoding };
}

/** The validator's contract: a reading a record can hold, or a reason a person can read. */
function expectReadingOrReason(result: DecodeResult, kind: CloudBoundKind): void {
  if (!result.ok) {
    expect(typeof result.reason).toBe('string');
    expect(result.reason.length).toBeGreaterThan(0);
    return;
  }
  const { reading } = result;
  expect(reading.deviceId).toBe('dev-1');
  expect(reading.lane).toBe(CLOUD_BOUND_KINDS[kind]);
  expect(Number.isSafeInteger(reading.timestampMs) && reading.timestampMs >= 0).toBe(true);
  expect(['good', 'uncertain', 'bad']).toContain(reading.quality);
  expect(reading.values.length).toBeGreaterThanOrEqual(1);
  for (const value of reading.values) {
    expect(Number.isFinite(value.value)).toBe(true);
    expect(typeof value.name === 'string' && value.name.length >= 1).toBe(true);
    expect(typeof value.unit).toBe('string');
  }
}

describe('decodeReadingPayload (properties)', () => {
  it.each(['json', 'cbor'] as const)('turns arbitrary %s bytes into a reading or a named reason, never an exception', (encoding) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.constantFrom(...KINDS), (bytes, kind) => {
        expectReadingOrReason(decodeReadingPayload(Buffer.from(bytes), encodingOf(kind, encoding), NOW_MS), kind);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('turns any CBOR data item (tags, byte strings, big integers, odd keys) into a reading or a named reason', () => {
    fc.assert(
      fc.property(cborItem, fc.constantFrom(...KINDS), (item, kind) => {
        expectReadingOrReason(decodeReadingPayload(cbor(item), encodingOf(kind, 'cbor'), NOW_MS), kind);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('turns any JSON value, and valid payloads with one thing wrong, into a reading or a named reason', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), wrongPayload), fc.constantFrom(...KINDS), (value, kind) => {
        const json = Buffer.from(JSON.stringify(value));
        expectReadingOrReason(decodeReadingPayload(json, encodingOf(kind, 'json'), NOW_MS), kind);
        expectReadingOrReason(decodeReadingPayload(cbor(cborOf(value)), encodingOf(kind, 'cbor'), NOW_MS), kind);
        expectReadingOrReason(decodeReadingPayload(encodeCbor(value), encodingOf(kind, 'cbor'), NOW_MS), kind);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('accepts every valid payload, in JSON and in CBOR from either encoder, as the same reading', () => {
    fc.assert(
      fc.property(validPayload, fc.constantFrom(...KINDS), (payload, kind) => {
        const expected = {
          deviceId: 'dev-1',
          lane: CLOUD_BOUND_KINDS[kind],
          timestampMs: payload.timestampMs ?? NOW_MS,
          quality: payload.quality ?? 'good',
          values: payload.values.map((v) => ({ name: v.name, value: v.value, unit: v.unit ?? '' })),
        };
        for (const [bytes, encoding] of [
          [Buffer.from(JSON.stringify(payload)), 'json'],
          [cbor(cborOf(payload)), 'cbor'],
          [encodeCbor(payload), 'cbor'],
        ] as const) {
          expect(decodeReadingPayload(bytes, encodingOf(kind, encoding), NOW_MS)).toEqual({ ok: true, reading: expected });
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('accepts a millisecond timestamp written as an 8-byte CBOR integer, as a device encoder writes it', () => {
    const payload = cbor({ map: [[{ text: 'timestampMs' }, { int: 1_700_000_000_123n }], [{ text: 'values' }, { array: [{ map: [[{ text: 'name' }, { text: 't' }], [{ text: 'value' }, { int: 21n }]] }] }]] });
    expect(payload.subarray(13, 14).toString('hex')).toBe('1b');
    expect(decodeReadingPayload(payload, encodingOf('telemetry', 'cbor'), NOW_MS)).toMatchObject({ ok: true, reading: { timestampMs: 1_700_000_000_123 } });
  });

  it('names the reason for an integer beyond 2^53 instead of rounding it', () => {
    const payload = cbor({ map: [[{ text: 'timestampMs' }, { int: 1n << 60n }], [{ text: 'values' }, { array: [{ map: [[{ text: 'name' }, { text: 't' }], [{ text: 'value' }, { int: 1n }]] }] }]] });
    expect(decodeReadingPayload(payload, encodingOf('telemetry', 'cbor'), NOW_MS)).toEqual({ ok: false, reason: 'CBOR payload holds an integer beyond 2^53, which a reading cannot' });
  });

  it('refuses a timestamp beyond 2^53 - 1, where JSON numbers stop naming one millisecond', () => {
    const payload = Buffer.from('{"timestampMs": 1e300, "values": [{"name": "t", "value": 1}]}');
    expect(decodeReadingPayload(payload, encodingOf('telemetry', 'json'), NOW_MS)).toEqual({ ok: false, reason: 'timestampMs: must be <= 9007199254740991 (got 1e+300)' });
  });
});
