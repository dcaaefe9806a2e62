// Original file: proto/coupler/sync/v1/sync.proto

import type { Long } from '@grpc/proto-loader';

export interface AppliedItem {
  'kind'?: (string);
  'deviceId'?: (string);
  'targetVersion'?: (string);
  'targetSha256'?: (string);
  'rolloutId'?: (string);
  'outcome'?: (string);
  'step'?: (string);
  'reason'?: (string);
  'updatedMs'?: (number | string | Long);
}

export interface AppliedItem__Output {
  'kind': (string);
  'deviceId': (string);
  'targetVersion': (string);
  'targetSha256': (string);
  'rolloutId': (string);
  'outcome': (string);
  'step': (string);
  'reason': (string);
  'updatedMs': (number);
}
