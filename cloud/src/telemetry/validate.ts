import { CouplerError } from '@coupler/kit';
import type { WireRecord__Output } from '@coupler/proto';
import { CloudErrorCode } from '../errors.js';
import type { Lane, Quality, TelemetryRecord } from '../records/index.js';

export const MAX_DEVICE_ID_LENGTH = 128;

const LANE_FROM_WIRE: Readonly<Record<string, Lane>> = {
  LANE_BULK: 'bulk',
  LANE_ALARM: 'alarm',
  LANE_BILLING: 'billing',
};
const QUALITY_FROM_WIRE: Readonly<Record<string, Quality>> = {
  QUALITY_GOOD: 'good',
  QUALITY_UNCERTAIN: 'uncertain',
  QUALITY_BAD: 'bad',
};

function invalid(path: string, reason: string, value: unknown): CouplerError {
  return new CouplerError(
    CloudErrorCode.syncInvalidBatch,
    `invalid batch: ${path}: ${reason} (got ${JSON.stringify(value)})`,
    {
      details: { path },
    },
  );
}

/**
 * Checks one batch as grpc-js decoded it and converts it to our record type. Throws
 * CPL_ERR_SYNC_INVALID_BATCH naming the first bad record and field, e.g.
 * `records[2].sequence: must be an integer > 0 (got 0)`; a batch is taken whole or not at all.
 */
export function recordsFromWire(wire: readonly WireRecord__Output[]): TelemetryRecord[] {
  return wire.map((record, index) => {
    const at = `records[${index}]`;
    if (!Number.isSafeInteger(record.sequence) || record.sequence <= 0) {
      throw invalid(`${at}.sequence`, 'must be an integer > 0', record.sequence);
    }
    if (record.deviceId.length === 0 || record.deviceId.length > MAX_DEVICE_ID_LENGTH) {
      throw invalid(
        `${at}.deviceId`,
        `must be 1 to ${MAX_DEVICE_ID_LENGTH} characters`,
        record.deviceId,
      );
    }
    if (!Number.isSafeInteger(record.timestampMs) || record.timestampMs < 0) {
      throw invalid(
        `${at}.timestampMs`,
        'must be milliseconds since the Unix epoch',
        record.timestampMs,
      );
    }
    const lane = LANE_FROM_WIRE[record.lane];
    if (lane === undefined)
      throw invalid(`${at}.lane`, 'must be LANE_BULK, LANE_ALARM or LANE_BILLING', record.lane);
    const quality = QUALITY_FROM_WIRE[record.quality];
    if (quality === undefined) {
      throw invalid(
        `${at}.quality`,
        'must be QUALITY_GOOD, QUALITY_UNCERTAIN or QUALITY_BAD',
        record.quality,
      );
    }
    const values = record.values.map(({ name, value, unit }, v) => {
      // JSON.stringify turns NaN and Infinity into null; name them.
      if (!Number.isFinite(value))
        throw invalid(`${at}.values[${v}].value`, 'must be a finite number', String(value));
      return { name, value, unit };
    });
    return {
      sequence: record.sequence,
      deviceId: record.deviceId,
      timestampMs: record.timestampMs,
      lane,
      quality,
      values,
    };
  });
}
