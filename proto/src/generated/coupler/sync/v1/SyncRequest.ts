// Original file: proto/coupler/sync/v1/sync.proto

import type { Hello as _coupler_sync_v1_Hello, Hello__Output as _coupler_sync_v1_Hello__Output } from '../../../coupler/sync/v1/Hello.js';
import type { RecordBatch as _coupler_sync_v1_RecordBatch, RecordBatch__Output as _coupler_sync_v1_RecordBatch__Output } from '../../../coupler/sync/v1/RecordBatch.js';
import type { BacklogReport as _coupler_sync_v1_BacklogReport, BacklogReport__Output as _coupler_sync_v1_BacklogReport__Output } from '../../../coupler/sync/v1/BacklogReport.js';
import type { DeviceReport as _coupler_sync_v1_DeviceReport, DeviceReport__Output as _coupler_sync_v1_DeviceReport__Output } from '../../../coupler/sync/v1/DeviceReport.js';
import type { DesiredStateReport as _coupler_sync_v1_DesiredStateReport, DesiredStateReport__Output as _coupler_sync_v1_DesiredStateReport__Output } from '../../../coupler/sync/v1/DesiredStateReport.js';

export interface SyncRequest {
  'hello'?: (_coupler_sync_v1_Hello | null);
  'batch'?: (_coupler_sync_v1_RecordBatch | null);
  'backlog'?: (_coupler_sync_v1_BacklogReport | null);
  'devices'?: (_coupler_sync_v1_DeviceReport | null);
  'applied'?: (_coupler_sync_v1_DesiredStateReport | null);
  'message'?: "hello"|"batch"|"backlog"|"devices"|"applied";
}

export interface SyncRequest__Output {
  'hello'?: (_coupler_sync_v1_Hello__Output | null);
  'batch'?: (_coupler_sync_v1_RecordBatch__Output | null);
  'backlog'?: (_coupler_sync_v1_BacklogReport__Output | null);
  'devices'?: (_coupler_sync_v1_DeviceReport__Output | null);
  'applied'?: (_coupler_sync_v1_DesiredStateReport__Output | null);
  'message'?: "hello"|"batch"|"backlog"|"devices"|"applied";
}
