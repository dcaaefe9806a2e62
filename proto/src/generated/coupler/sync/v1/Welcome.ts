// Original file: proto/coupler/sync/v1/sync.proto

import type { BatchEncoding as _coupler_sync_v1_BatchEncoding, BatchEncoding__Output as _coupler_sync_v1_BatchEncoding__Output } from '../../../coupler/sync/v1/BatchEncoding.js';
import type { Long } from '@grpc/proto-loader';

export interface Welcome {
  'highestStoredSequence'?: (number | string | Long);
  'batchEncodings'?: (_coupler_sync_v1_BatchEncoding)[];
}

export interface Welcome__Output {
  'highestStoredSequence': (number);
  'batchEncodings': (_coupler_sync_v1_BatchEncoding__Output)[];
}
