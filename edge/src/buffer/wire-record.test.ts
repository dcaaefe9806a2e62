import { describe, expect, it } from 'vitest';
import type { SequencedRecord } from '../records/index.js';
import { decodeRecord, encodeRecord, encodeWireRecordSlowly } from './wire-record.js';

function record(overrides: Partial<SequencedRecord> = {}): SequencedRecord {
  return { sequence: 1, deviceId: 'meter-1', timestampMs: 1_700_000_000_000, quality: 'good', lane: 'bulk', values: [{ name: 'voltageL1', value: 230.1, unit: 'V' }], ...overrides };
}

/** A deterministic stream of awkward but valid records: every width of varint and string prefix. */
function* variedRecords(): Generator<SequencedRecord> {
  const texts = ['', 'a', 'x'.repeat(41), 'y'.repeat(42), 'z'.repeat(127), 'w'.repeat(128), 'Spannung L1 (Ω)', '電力量計-7', '😀'.repeat(30), 'é'.repeat(64)];
  const numbers = [0, 1, 127, 128, 16_383, 16_384, 2 ** 31, 2 ** 32, 1_700_000_000_000, Number.MAX_SAFE_INTEGER];
  const lanes = ['bulk', 'alarm', 'billing'] as const;
  const qualities = ['good', 'uncertain', 'bad'] as const;
  let n = 0;
  for (const text of texts) {
    for (const number of numbers) {
      n++;
      const values = Array.from({ length: 1 + (n % 4) }, (_, i) => ({ name: `${text}${i}`, value: (n - 20) * 1.5e-3 * 10 ** i, unit: i % 2 ? text.slice(0, 16) : '' }));
      yield { sequence: number, deviceId: text, timestampMs: numbers[n % numbers.length] ?? 0, lane: lanes[n % 3] ?? 'bulk', quality: qualities[n % 3] ?? 'good', values };
    }
  }
  yield record({ values: Array.from({ length: 256 }, (_, i) => ({ name: `v${i}`, value: -i, unit: 'kWh' })) });
  yield record({ values: [{ name: 'n'.repeat(64), value: Number.MIN_VALUE, unit: '€'.repeat(16) }] });
}

describe('encodeRecord', () => {
  it('writes the same bytes as protobufjs for every width of number and string', () => {
    let count = 0;
    for (const each of variedRecords()) {
      expect(Buffer.from(encodeRecord(each)).toString('hex'), JSON.stringify(each).slice(0, 120)).toBe(Buffer.from(encodeWireRecordSlowly(each)).toString('hex'));
      count++;
    }
    expect(count).toBeGreaterThan(100);
  });

  it('round-trips a record through the decoder', () => {
    const each = record({ sequence: 42, quality: 'uncertain', lane: 'billing', values: [{ name: 'energy', value: 12_345.678, unit: 'kWh' }, { name: 'flag', value: 0, unit: '' }] });
    expect(decodeRecord(encodeRecord(each))).toEqual(each);
  });

  it('encodes a timestamp before 1970 through protobufjs (a negative int64 is ten bytes)', () => {
    const each = record({ timestampMs: -5 });
    expect(decodeRecord(encodeRecord(each))).toEqual(each);
  });

  it('returns a buffer of its own for each record, not a view of a shared one', () => {
    const first = encodeRecord(record({ sequence: 1 }));
    const copy = Buffer.from(first);
    encodeRecord(record({ sequence: 2, deviceId: 'other' }));
    expect(first.equals(copy)).toBe(true);
  });
});
