// Original file: proto/coupler/sync/v1/sync.proto

import type { DeviceState as _coupler_sync_v1_DeviceState, DeviceState__Output as _coupler_sync_v1_DeviceState__Output } from '../../../coupler/sync/v1/DeviceState.js';

export interface DeviceReport {
  'devices'?: (_coupler_sync_v1_DeviceState)[];
}

export interface DeviceReport__Output {
  'devices': (_coupler_sync_v1_DeviceState__Output)[];
}
