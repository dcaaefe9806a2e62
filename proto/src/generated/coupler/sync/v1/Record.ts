// Original file: proto/coupler/sync/v1/sync.proto

import type { Lane as _coupler_sync_v1_Lane, Lane__Output as _coupler_sync_v1_Lane__Output } from '../../../coupler/sync/v1/Lane.js';
import type { Quality as _coupler_sync_v1_Quality, Quality__Output as _coupler_sync_v1_Quality__Output } from '../../../coupler/sync/v1/Quality.js';
import type { Value as _coupler_sync_v1_Value, Value__Output as _coupler_sync_v1_Value__Output } from '../../../coupler/sync/v1/Value.js';
import type { Long } from '@grpc/proto-loader';

export interface Record {
  'sequence'?: (number | string | Long);
  'deviceId'?: (string);
  'timestampMs'?: (number | string | Long);
  'lane'?: (_coupler_sync_v1_Lane);
  'quality'?: (_coupler_sync_v1_Quality);
  'values'?: (_coupler_sync_v1_Value)[];
}

export interface Record__Output {
  'sequence': (number);
  'deviceId': (string);
  'timestampMs': (number);
  'lane': (_coupler_sync_v1_Lane__Output);
  'quality': (_coupler_sync_v1_Quality__Output);
  'values': (_coupler_sync_v1_Value__Output)[];
}
