// Original file: proto/coupler/sync/v1/sync.proto

import type { SequenceRange as _coupler_sync_v1_SequenceRange, SequenceRange__Output as _coupler_sync_v1_SequenceRange__Output } from '../../../coupler/sync/v1/SequenceRange.js';
import type { Long } from '@grpc/proto-loader';

export interface BatchAck {
  'batchId'?: (number | string | Long);
  'stored'?: (_coupler_sync_v1_SequenceRange)[];
  'conflicting'?: (_coupler_sync_v1_SequenceRange)[];
  'highestStoredSequence'?: (number | string | Long);
}

export interface BatchAck__Output {
  'batchId': (number);
  'stored': (_coupler_sync_v1_SequenceRange__Output)[];
  'conflicting': (_coupler_sync_v1_SequenceRange__Output)[];
  'highestStoredSequence': (number);
}
