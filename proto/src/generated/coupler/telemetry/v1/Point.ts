// Original file: proto/coupler/telemetry/v1/telemetry.proto

import type { Quality as _coupler_sync_v1_Quality, Quality__Output as _coupler_sync_v1_Quality__Output } from '../../../coupler/sync/v1/Quality.js';
import type { Long } from '@grpc/proto-loader';

export interface Point {
  'timestampMs'?: (number | string | Long);
  'value'?: (number | string);
  'quality'?: (_coupler_sync_v1_Quality);
  'sequence'?: (number | string | Long);
}

export interface Point__Output {
  'timestampMs': (number);
  'value': (number);
  'quality': (_coupler_sync_v1_Quality__Output);
  'sequence': (number);
}
