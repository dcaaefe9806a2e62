import type { TelemetryRecord } from './record.js';

type Content = Omit<TelemetryRecord, 'sequence'>;

/**
 * Whether two records carry the same reading: device, timestamp, lane, quality and every value
 * (name, value, unit, in order). A resend of a record is the same reading under the same
 * sequence; a different reading under a taken sequence is a collision (docs/decisions/0009).
 */
export function isSameContent(a: Content, b: Content): boolean {
  if (a.deviceId !== b.deviceId || a.timestampMs !== b.timestampMs) return false;
  if (a.lane !== b.lane || a.quality !== b.quality || a.values.length !== b.values.length)
    return false;
  return a.values.every((value, i) => {
    const other = b.values[i];
    return (
      other !== undefined &&
      value.name === other.name &&
      value.value === other.value &&
      value.unit === other.unit
    );
  });
}
