export { ColumnsFormatError } from './bytes.js';
export { decodeColumnGroups, decodeColumns, encodeColumns, MAX_VALUES_PER_BATCH, recordsOfColumnGroups } from './columns.js';
export type { ColumnBatch, ColumnGroup } from './columns.js';
export { plainColumnGroupsOf, plainRecordBatchMessage, readPlainRecordBatchRequest, type PlainRecordBatch } from './plain-batch.js';
