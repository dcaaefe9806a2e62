// Original file: proto/coupler/sync/v1/sync.proto

import type { Long } from '@grpc/proto-loader';

export interface Welcome {
  'highestStoredSequence'?: (number | string | Long);
}

export interface Welcome__Output {
  'highestStoredSequence': (number);
}
