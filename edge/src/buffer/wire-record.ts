import { decodeWireRecord, encodeWireRecord, type WireRecord } from '@coupler/proto';
import type { Lane, Quality, SequencedRecord } from '../records/index.js';

const WIRE_LANE = { bulk: 'LANE_BULK', alarm: 'LANE_ALARM', billing: 'LANE_BILLING' } as const satisfies Record<Lane, string>;
const WIRE_QUALITY = { good: 'QUALITY_GOOD', uncertain: 'QUALITY_UNCERTAIN', bad: 'QUALITY_BAD' } as const satisfies Record<Quality, string>;
const LANE_OF = { LANE_BULK: 'bulk', LANE_ALARM: 'alarm', LANE_BILLING: 'billing' } as const;
const QUALITY_OF = { QUALITY_GOOD: 'good', QUALITY_UNCERTAIN: 'uncertain', QUALITY_BAD: 'bad' } as const;

/** A record as the sync stream carries it (coupler.sync.v1.Record), encoded once at ingest. */
export function encodeRecord(record: SequencedRecord): Uint8Array {
  const wire: WireRecord = {
    sequence: record.sequence,
    deviceId: record.deviceId,
    timestampMs: record.timestampMs,
    lane: WIRE_LANE[record.lane],
    quality: WIRE_QUALITY[record.quality],
    values: record.values,
  };
  return encodeWireRecord(wire);
}

export function decodeRecord(bytes: Uint8Array): SequencedRecord {
  const wire = decodeWireRecord(bytes);
  return {
    sequence: wire.sequence,
    deviceId: wire.deviceId,
    timestampMs: wire.timestampMs,
    lane: LANE_OF[wire.lane as keyof typeof LANE_OF],
    quality: QUALITY_OF[wire.quality as keyof typeof QUALITY_OF],
    values: wire.values.map(({ name, value, unit }) => ({ name, value, unit })),
  };
}
