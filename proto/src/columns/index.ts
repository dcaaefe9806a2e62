export { ColumnsFormatError } from './bytes.js';
export { decodeColumns, encodeColumns, MAX_VALUES_PER_BATCH } from './columns.js';
