// Original file: proto/coupler/sync/v1/sync.proto

import type { Hello as _coupler_sync_v1_Hello, Hello__Output as _coupler_sync_v1_Hello__Output } from '../../../coupler/sync/v1/Hello.js';
import type { RecordBatch as _coupler_sync_v1_RecordBatch, RecordBatch__Output as _coupler_sync_v1_RecordBatch__Output } from '../../../coupler/sync/v1/RecordBatch.js';

export interface SyncRequest {
  'hello'?: (_coupler_sync_v1_Hello | null);
  'batch'?: (_coupler_sync_v1_RecordBatch | null);
  'message'?: "hello"|"batch";
}

export interface SyncRequest__Output {
  'hello'?: (_coupler_sync_v1_Hello__Output | null);
  'batch'?: (_coupler_sync_v1_RecordBatch__Output | null);
  'message'?: "hello"|"batch";
}
