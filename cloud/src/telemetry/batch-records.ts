import { CouplerError } from '@coupler/kit';
import { ColumnsFormatError, decodeColumnGroups, type BatchEncoding__Output, type ColumnBatch, type RecordBatch__Output } from '@coupler/proto';
import { CloudErrorCode } from '../errors.js';
import { RecordColumns } from '../records/index.js';
import { columnsFromWire, recordsFromWire } from './validate.js';

/** The batch encodings this cloud reads besides plain records: listed in the Welcome (docs/decisions/0010). */
export const READABLE_BATCH_ENCODINGS: readonly BatchEncoding__Output[] = ['BATCH_ENCODING_COLUMNS_V1'];

function invalidBatch(message: string): CouplerError {
  return new CouplerError(CloudErrorCode.syncInvalidBatch, `invalid batch: ${message}`);
}

/**
 * The checked records of a RecordBatch as columns, whichever encoding carried them: plain
 * records as grpc-js decoded them, or columns kept as they came (docs/decisions/0016). Throws
 * CPL_ERR_SYNC_INVALID_BATCH for more than `maxRecords` records, bad columns, both forms at
 * once, or an invalid record (recordsFromWire names it).
 */
export function columnsOfBatch(batch: RecordBatch__Output, maxRecords: number): RecordColumns {
  const encoding = batch.encoding as string | number;
  if (encoding === 'BATCH_ENCODING_RECORDS') {
    if (batch.records.length > maxRecords) throw invalidBatch(`records: must hold at most ${maxRecords} records (got ${batch.records.length})`);
    if (batch.columns.length > 0) throw invalidBatch(`columns: must be empty when encoding is BATCH_ENCODING_RECORDS (got ${batch.columns.length} bytes)`);
    return RecordColumns.fromRecords(recordsFromWire(batch.records));
  }
  if (encoding === 'BATCH_ENCODING_COLUMNS_V1') {
    if (batch.records.length > 0) throw invalidBatch(`records: must be empty when encoding is BATCH_ENCODING_COLUMNS_V1 (got ${batch.records.length} records)`);
    let groups: ColumnBatch;
    try {
      groups = decodeColumnGroups(batch.columns, maxRecords);
    } catch (err) {
      if (err instanceof ColumnsFormatError) throw invalidBatch(err.message);
      throw err;
    }
    return columnsFromWire(groups);
  }
  throw invalidBatch(`encoding: must be BATCH_ENCODING_RECORDS or one this cloud lists in its welcome (${READABLE_BATCH_ENCODINGS.join(', ')}) (got ${JSON.stringify(encoding)})`);
}
