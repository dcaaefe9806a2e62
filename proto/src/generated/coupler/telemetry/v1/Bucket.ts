// Original file: proto/coupler/telemetry/v1/telemetry.proto

import type { Long } from '@grpc/proto-loader';

export interface Bucket {
  'startMs'?: (number | string | Long);
  'min'?: (number | string);
  'max'?: (number | string);
  'mean'?: (number | string);
  'count'?: (number | string | Long);
  'last'?: (number | string);
  'lastTimestampMs'?: (number | string | Long);
}

export interface Bucket__Output {
  'startMs': (number);
  'min': (number);
  'max': (number);
  'mean': (number);
  'count': (number);
  'last': (number);
  'lastTimestampMs': (number);
}
