// Original file: proto/coupler/sync/v1/sync.proto

import type { BatchAck as _coupler_sync_v1_BatchAck, BatchAck__Output as _coupler_sync_v1_BatchAck__Output } from '../../../coupler/sync/v1/BatchAck.js';

export interface SyncResponse {
  'ack'?: (_coupler_sync_v1_BatchAck | null);
  'message'?: "ack";
}

export interface SyncResponse__Output {
  'ack'?: (_coupler_sync_v1_BatchAck__Output | null);
  'message'?: "ack";
}
