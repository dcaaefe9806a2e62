// Original file: proto/coupler/ota/v1/ota.proto

import type { Long } from '@grpc/proto-loader';

export interface ReadChunkRequest {
  'sha256'?: (string);
  'offset'?: (number | string | Long);
  'maxBytes'?: (number);
}

export interface ReadChunkRequest__Output {
  'sha256': (string);
  'offset': (number);
  'maxBytes': (number);
}
