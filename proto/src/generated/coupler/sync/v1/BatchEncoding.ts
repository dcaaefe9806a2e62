// Original file: proto/coupler/sync/v1/sync.proto

export const BatchEncoding = {
  BATCH_ENCODING_RECORDS: 'BATCH_ENCODING_RECORDS',
  BATCH_ENCODING_COLUMNS_V1: 'BATCH_ENCODING_COLUMNS_V1',
} as const;

export type BatchEncoding =
  | 'BATCH_ENCODING_RECORDS'
  | 0
  | 'BATCH_ENCODING_COLUMNS_V1'
  | 1

export type BatchEncoding__Output = typeof BatchEncoding[keyof typeof BatchEncoding]
