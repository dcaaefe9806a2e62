// Original file: proto/coupler/sync/v1/sync.proto

import type { Record as _coupler_sync_v1_Record, Record__Output as _coupler_sync_v1_Record__Output } from '../../../coupler/sync/v1/Record.js';
import type { BatchEncoding as _coupler_sync_v1_BatchEncoding, BatchEncoding__Output as _coupler_sync_v1_BatchEncoding__Output } from '../../../coupler/sync/v1/BatchEncoding.js';
import type { Long } from '@grpc/proto-loader';

export interface RecordBatch {
  'batchId'?: (number | string | Long);
  'records'?: (_coupler_sync_v1_Record)[];
  'encoding'?: (_coupler_sync_v1_BatchEncoding);
  'columns'?: (Buffer | Uint8Array | string);
}

export interface RecordBatch__Output {
  'batchId': (number);
  'records': (_coupler_sync_v1_Record__Output)[];
  'encoding': (_coupler_sync_v1_BatchEncoding__Output);
  'columns': (Buffer);
}
