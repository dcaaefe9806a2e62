// Original file: proto/coupler/sync/v1/sync.proto

import type { Lane as _coupler_sync_v1_Lane, Lane__Output as _coupler_sync_v1_Lane__Output } from '../../../coupler/sync/v1/Lane.js';
import type { Long } from '@grpc/proto-loader';

export interface LaneBacklog {
  'lane'?: (_coupler_sync_v1_Lane);
  'records'?: (number | string | Long);
  'bytes'?: (number | string | Long);
  'droppedTotal'?: (number | string | Long);
}

export interface LaneBacklog__Output {
  'lane': (_coupler_sync_v1_Lane__Output);
  'records': (number);
  'bytes': (number);
  'droppedTotal': (number);
}
