// Original file: proto/coupler/sync/v1/sync.proto

import type { AppliedItem as _coupler_sync_v1_AppliedItem, AppliedItem__Output as _coupler_sync_v1_AppliedItem__Output } from '../../../coupler/sync/v1/AppliedItem.js';
import type { Long } from '@grpc/proto-loader';

export interface DesiredStateReport {
  'revision'?: (number | string | Long);
  'items'?: (_coupler_sync_v1_AppliedItem)[];
}

export interface DesiredStateReport__Output {
  'revision': (number);
  'items': (_coupler_sync_v1_AppliedItem__Output)[];
}
