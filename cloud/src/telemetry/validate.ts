import { CouplerError } from '@coupler/kit';
import { recordsOfColumnGroups, type ColumnBatch, type WireRecord__Output } from '@coupler/proto';
import { CloudErrorCode } from '../errors.js';
import { flagsOf, RecordColumns, type Lane, type Quality, type RecordShape, type TelemetryRecord } from '../records/index.js';

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

/** Whether every record of the groups passes recordsFromWire, checked a group and a column at a time. */
function isValidColumnBatch({ groups }: ColumnBatch): boolean {
  for (const group of groups) {
    if (group.deviceId.length === 0 || group.deviceId.length > MAX_DEVICE_ID_LENGTH) return false;
    for (const sequence of group.sequences) if (!Number.isSafeInteger(sequence) || sequence <= 0) return false;
    for (const timestampMs of group.timestamps) if (!Number.isSafeInteger(timestampMs) || timestampMs < 0) return false;
    // Wire lanes and qualities are 1 to 3; 0 is unspecified (the decoder refuses quality 4 and up).
    for (const byte of group.laneQuality) if ((byte & 3) === 0 || byte >> 2 === 0) return false;
    for (const column of group.values) for (const value of column) if (!Number.isFinite(value)) return false;
  }
  return true;
}

/**
 * recordsFromWire for a batch decoded as column groups, giving the same records as columns
 * without an object per record (docs/decisions/0016). A batch with a bad record goes through
 * recordsFromWire, so the error names the same record and field as for plain records; those
 * records are `wireRecords()` when given (plain records read from their bytes as groups,
 * decision 0022), or the groups' own.
 */
export function columnsFromWire(batch: ColumnBatch, wireRecords?: () => readonly WireRecord__Output[]): RecordColumns {
  if (!isValidColumnBatch(batch)) return RecordColumns.fromRecords(recordsFromWire(wireRecords ? wireRecords() : recordsOfColumnGroups(batch)));
  const { groups, groupOf } = batch;
  const count = groupOf.length;
  const columns = new RecordColumns({
    sequences: new Float64Array(count),
    timestamps: new Float64Array(count),
    flags: new Uint8Array(count),
    shapes: groups.map(({ deviceId, names, units }): RecordShape => ({ deviceId, names, units })),
    shapeOf: groupOf,
    values: new Float64Array(groups.reduce((sum, group) => sum + group.sequences.length * group.names.length, 0)),
  });
  const { sequences, timestamps, flags, values, valueAt } = columns;
  const taken = new Uint32Array(groups.length);
  for (let r = 0; r < count; r++) {
    const g = groupOf[r] as number;
    const group = groups[g] as ColumnBatch['groups'][number];
    const i = taken[g] as number;
    taken[g] = i + 1;
    sequences[r] = group.sequences[i] as number;
    timestamps[r] = group.timestamps[i] as number;
    const byte = group.laneQuality[i] as number;
    // Wire enums count from 1 (0 is unspecified), LANES and QUALITIES from 0.
    flags[r] = ((byte & 3) - 1) | (((byte >> 2) - 1) << 2);
    const at = valueAt[r] as number;
    for (let v = 0; v < group.values.length; v++) values[at + v] = (group.values[v] as Float64Array)[i] as number;
  }
  return columns;
}

function isValidWireRecord(record: WireRecord__Output): boolean {
  if (!Number.isSafeInteger(record.sequence) || record.sequence <= 0) return false;
  if (record.deviceId.length === 0 || record.deviceId.length > MAX_DEVICE_ID_LENGTH) return false;
  if (!Number.isSafeInteger(record.timestampMs) || record.timestampMs < 0) return false;
  if (LANE_FROM_WIRE[record.lane] === undefined || QUALITY_FROM_WIRE[record.quality] === undefined) return false;
  for (const { value } of record.values) if (!Number.isFinite(value)) return false;
  return true;
}

/**
 * recordsFromWire for plain records, giving the records as columns without copying each into
 * a record of ours first (docs/decisions/0016). A batch with a bad record goes through
 * recordsFromWire, which names the first bad record and field.
 */
export function columnsFromWireRecords(wire: readonly WireRecord__Output[]): RecordColumns {
  if (!wire.every(isValidWireRecord)) return RecordColumns.fromRecords(recordsFromWire(wire));
  return RecordColumns.fromRows(wire, (record) => flagsOf(LANE_FROM_WIRE[record.lane] as Lane, QUALITY_FROM_WIRE[record.quality] as Quality));
}
