// Original file: proto/coupler/sync/v1/sync.proto

import type { Long } from '@grpc/proto-loader';

export interface Hello {
  'gatewayId'?: (string);
  'softwareVersion'?: (string);
  'firstUnacknowledgedSequence'?: (number | string | Long);
}

export interface Hello__Output {
  'gatewayId': (string);
  'softwareVersion': (string);
  'firstUnacknowledgedSequence': (number);
}
