import { describe, expect, it } from 'vitest';
import type { WireRecord__Output } from '@coupler/proto';
import { recordsFromWire } from './validate.js';

function wire(overrides: Partial<WireRecord__Output> = {}): WireRecord__Output {
  return {
    sequence: 1,
    deviceId: 'meter-1',
    timestampMs: 1_700_000_000_000,
    lane: 'LANE_BILLING',
    quality: 'QUALITY_UNCERTAIN',
    values: [{ name: 'energy', value: 1.5, unit: 'kWh' }],
    ...overrides,
  };
}

function messageOf(action: () => unknown): string {
  try {
    action();
  } catch (err) {
    expect(err).toMatchObject({ code: 'CPL_ERR_SYNC_INVALID_BATCH' });
    return (err as Error).message;
  }
  throw new Error('expected a throw');
}

describe('recordsFromWire', () => {
  it('converts proto enums to our lane and quality', () => {
    expect(
      recordsFromWire([
        wire(),
        wire({ sequence: 2, lane: 'LANE_BULK', quality: 'QUALITY_GOOD' }),
        wire({ lane: 'LANE_ALARM', quality: 'QUALITY_BAD' }),
      ]),
    ).toEqual([
      {
        sequence: 1,
        deviceId: 'meter-1',
        timestampMs: 1_700_000_000_000,
        lane: 'billing',
        quality: 'uncertain',
        values: [{ name: 'energy', value: 1.5, unit: 'kWh' }],
      },
      {
        sequence: 2,
        deviceId: 'meter-1',
        timestampMs: 1_700_000_000_000,
        lane: 'bulk',
        quality: 'good',
        values: [{ name: 'energy', value: 1.5, unit: 'kWh' }],
      },
      {
        sequence: 1,
        deviceId: 'meter-1',
        timestampMs: 1_700_000_000_000,
        lane: 'alarm',
        quality: 'bad',
        values: [{ name: 'energy', value: 1.5, unit: 'kWh' }],
      },
    ]);
  });

  it.each([
    [{ sequence: 0 }, 'records[1].sequence: must be an integer > 0 (got 0)'],
    [{ sequence: 1.5 }, 'records[1].sequence: must be an integer > 0 (got 1.5)'],
    [{ deviceId: '' }, 'records[1].deviceId: must be 1 to 128 characters (got "")'],
    [{ deviceId: 'x'.repeat(129) }, 'records[1].deviceId: must be 1 to 128 characters'],
    [
      { timestampMs: -1 },
      'records[1].timestampMs: must be milliseconds since the Unix epoch (got -1)',
    ],
    [
      { lane: 'LANE_UNSPECIFIED' as const },
      'records[1].lane: must be LANE_BULK, LANE_ALARM or LANE_BILLING (got "LANE_UNSPECIFIED")',
    ],
    [
      { quality: 'QUALITY_UNSPECIFIED' as const },
      'records[1].quality: must be QUALITY_GOOD, QUALITY_UNCERTAIN or QUALITY_BAD (got "QUALITY_UNSPECIFIED")',
    ],
    [
      {
        values: [
          { name: 'a', value: 1, unit: '' },
          { name: 'b', value: Number.NaN, unit: 'V' },
        ],
      },
      'records[1].values[1].value: must be a finite number (got "NaN")',
    ],
    [
      { values: [{ name: 'a', value: Number.POSITIVE_INFINITY, unit: '' }] },
      'records[1].values[0].value: must be a finite number (got "Infinity")',
    ],
  ])('refuses %j naming the record and field', (overrides, expected) => {
    expect(messageOf(() => recordsFromWire([wire(), wire(overrides)]))).toContain(expected);
  });
});
