import { CouplerError } from '@coupler/kit';
import { ColumnsFormatError, decodeColumnGroups, plainColumnGroupsOf, type BatchEncoding__Output, type ColumnBatch, type RecordBatch__Output, type WireRecord__Output } from '@coupler/proto';
import { CloudErrorCode } from '../errors.js';
import type { RecordColumns } from '../records/index.js';
import { columnsFromWire, columnsFromWireRecords } from './validate.js';

/** The batch encodings this cloud reads besides plain records: listed in the Welcome (docs/decisions/0010). */
export const READABLE_BATCH_ENCODINGS: readonly BatchEncoding__Output[] = ['BATCH_ENCODING_COLUMNS_V1'];

function invalidBatch(message: string): CouplerError {
  return new CouplerError(CloudErrorCode.syncInvalidBatch, `invalid batch: ${message}`);
}

/**
 * A batch as its encoding carried it: plain records as grpc-js decoded them, column groups, or
 * plain records read from their bytes as column groups (`plainGroups`, the RecordBatch beside).
 */
export type DecodedBatch = { records: readonly WireRecord__Output[] } | { groups: ColumnBatch } | { plainGroups: ColumnBatch; batch: RecordBatch__Output };

/**
 * The records of a RecordBatch as its encoding carried them, not yet checked. Throws
 * CPL_ERR_SYNC_INVALID_BATCH for more than `maxRecords` records, bad columns, or both forms at once.
 */
export function decodeBatch(batch: RecordBatch__Output, maxRecords: number): DecodedBatch {
  const encoding = batch.encoding as string | number;
  if (encoding === 'BATCH_ENCODING_RECORDS') {
    const plainGroups = plainColumnGroupsOf(batch);
    if (plainGroups) {
      const count = plainGroups.groupOf.length;
      if (count > maxRecords) throw invalidBatch(`records: must hold at most ${maxRecords} records (got ${count})`);
      return { plainGroups, batch };
    }
    if (batch.records.length > maxRecords) throw invalidBatch(`records: must hold at most ${maxRecords} records (got ${batch.records.length})`);
    if (batch.columns.length > 0) throw invalidBatch(`columns: must be empty when encoding is BATCH_ENCODING_RECORDS (got ${batch.columns.length} bytes)`);
    return { records: batch.records };
  }
  if (encoding === 'BATCH_ENCODING_COLUMNS_V1') {
    if (batch.records.length > 0) throw invalidBatch(`records: must be empty when encoding is BATCH_ENCODING_COLUMNS_V1 (got ${batch.records.length} records)`);
    try {
      return { groups: decodeColumnGroups(batch.columns, maxRecords) };
    } catch (err) {
      if (err instanceof ColumnsFormatError) throw invalidBatch(err.message);
      throw err;
    }
  }
  throw invalidBatch(`encoding: must be BATCH_ENCODING_RECORDS or one this cloud lists in its welcome (${READABLE_BATCH_ENCODINGS.join(', ')}) (got ${JSON.stringify(encoding)})`);
}

/**
 * The checked records of a decoded batch as columns; columns stay columns, without an object
 * per record (docs/decisions/0016). Throws CPL_ERR_SYNC_INVALID_BATCH naming the first invalid
 * record and field (recordsFromWire), whichever encoding carried it.
 */
export function checkedColumns(decoded: DecodedBatch): RecordColumns {
  if ('plainGroups' in decoded) {
    const { plainGroups, batch } = decoded;
    return columnsFromWire(plainGroups, () => batch.records);
  }
  return 'groups' in decoded ? columnsFromWire(decoded.groups) : columnsFromWireRecords(decoded.records);
}
