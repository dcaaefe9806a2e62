// Original file: proto/coupler/sync/v1/sync.proto

import type { Record as _coupler_sync_v1_Record, Record__Output as _coupler_sync_v1_Record__Output } from '../../../coupler/sync/v1/Record.js';
import type { Long } from '@grpc/proto-loader';

export interface RecordBatch {
  'batchId'?: (number | string | Long);
  'records'?: (_coupler_sync_v1_Record)[];
}

export interface RecordBatch__Output {
  'batchId': (number);
  'records': (_coupler_sync_v1_Record__Output)[];
}
