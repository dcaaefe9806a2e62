// Original file: proto/coupler/telemetry/v1/telemetry.proto

import type { Long } from '@grpc/proto-loader';

export interface Position {
  'latitude'?: (number | string);
  'longitude'?: (number | string);
  'atMs'?: (number | string | Long);
}

export interface Position__Output {
  'latitude': (number);
  'longitude': (number);
  'atMs': (number);
}
