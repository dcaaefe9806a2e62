// Original file: proto/coupler/sync/v1/sync.proto

import type { Long } from '@grpc/proto-loader';

export interface SequenceRange {
  'first'?: (number | string | Long);
  'last'?: (number | string | Long);
}

export interface SequenceRange__Output {
  'first': (number);
  'last': (number);
}
