// Original file: proto/coupler/sync/v1/sync.proto

import type { BatchAck as _coupler_sync_v1_BatchAck, BatchAck__Output as _coupler_sync_v1_BatchAck__Output } from '../../../coupler/sync/v1/BatchAck.js';
import type { DesiredState as _coupler_sync_v1_DesiredState, DesiredState__Output as _coupler_sync_v1_DesiredState__Output } from '../../../coupler/sync/v1/DesiredState.js';

export interface SyncResponse {
  'ack'?: (_coupler_sync_v1_BatchAck | null);
  'desired'?: (_coupler_sync_v1_DesiredState | null);
  'message'?: "ack"|"desired";
}

export interface SyncResponse__Output {
  'ack'?: (_coupler_sync_v1_BatchAck__Output | null);
  'desired'?: (_coupler_sync_v1_DesiredState__Output | null);
  'message'?: "ack"|"desired";
}
