import type { WireRecord } from '@coupler/proto';
import type { Lane, Quality, SequencedRecord } from '../records/index.js';

const WIRE_LANE = { bulk: 'LANE_BULK', alarm: 'LANE_ALARM', billing: 'LANE_BILLING' } as const satisfies Record<Lane, string>;
const WIRE_QUALITY = { good: 'QUALITY_GOOD', uncertain: 'QUALITY_UNCERTAIN', bad: 'QUALITY_BAD' } as const satisfies Record<Quality, string>;

export function toWireRecord(record: SequencedRecord): WireRecord {
  return {
    sequence: record.sequence,
    deviceId: record.deviceId,
    timestampMs: record.timestampMs,
    lane: WIRE_LANE[record.lane],
    quality: WIRE_QUALITY[record.quality],
    values: record.values,
  };
}
