// Original file: proto/coupler/sync/v1/sync.proto

import type { LaneBacklog as _coupler_sync_v1_LaneBacklog, LaneBacklog__Output as _coupler_sync_v1_LaneBacklog__Output } from '../../../coupler/sync/v1/LaneBacklog.js';
import type { Long } from '@grpc/proto-loader';

export interface BacklogReport {
  'records'?: (number | string | Long);
  'bytes'?: (number | string | Long);
  'quotaBytes'?: (number | string | Long);
  'oldestRecordAgeSeconds'?: (number | string);
  'secondsUntilQuotaFull'?: (number | string);
  'lanes'?: (_coupler_sync_v1_LaneBacklog)[];
}

export interface BacklogReport__Output {
  'records': (number);
  'bytes': (number);
  'quotaBytes': (number);
  'oldestRecordAgeSeconds': (number);
  'secondsUntilQuotaFull': (number);
  'lanes': (_coupler_sync_v1_LaneBacklog__Output)[];
}
