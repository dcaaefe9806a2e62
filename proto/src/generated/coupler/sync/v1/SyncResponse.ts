// Original file: proto/coupler/sync/v1/sync.proto

import type { BatchAck as _coupler_sync_v1_BatchAck, BatchAck__Output as _coupler_sync_v1_BatchAck__Output } from '../../../coupler/sync/v1/BatchAck.js';
import type { DesiredState as _coupler_sync_v1_DesiredState, DesiredState__Output as _coupler_sync_v1_DesiredState__Output } from '../../../coupler/sync/v1/DesiredState.js';
import type { Welcome as _coupler_sync_v1_Welcome, Welcome__Output as _coupler_sync_v1_Welcome__Output } from '../../../coupler/sync/v1/Welcome.js';

export interface SyncResponse {
  'ack'?: (_coupler_sync_v1_BatchAck | null);
  'desired'?: (_coupler_sync_v1_DesiredState | null);
  'welcome'?: (_coupler_sync_v1_Welcome | null);
  'message'?: "ack"|"desired"|"welcome";
}

export interface SyncResponse__Output {
  'ack'?: (_coupler_sync_v1_BatchAck__Output | null);
  'desired'?: (_coupler_sync_v1_DesiredState__Output | null);
  'welcome'?: (_coupler_sync_v1_Welcome__Output | null);
  'message'?: "ack"|"desired"|"welcome";
}
