// Original file: proto/coupler/telemetry/v1/telemetry.proto

import type { Long } from '@grpc/proto-loader';

export interface QueryRequest {
  'gatewayId'?: (string);
  'deviceId'?: (string);
  'signals'?: (string)[];
  'fromMs'?: (number | string | Long);
  'toMs'?: (number | string | Long);
  'stepMs'?: (number | string | Long);
  'pageSize'?: (number);
  'pageToken'?: (string);
}

export interface QueryRequest__Output {
  'gatewayId': (string);
  'deviceId': (string);
  'signals': (string)[];
  'fromMs': (number);
  'toMs': (number);
  'stepMs': (number);
  'pageSize': (number);
  'pageToken': (string);
}
