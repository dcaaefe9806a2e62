// Original file: proto/coupler/ota/v1/ota.proto

import type { Long } from '@grpc/proto-loader';

export interface UploadChunkRequest {
  'uploadId'?: (string);
  'offset'?: (number | string | Long);
  'data'?: (Buffer | Uint8Array | string);
}

export interface UploadChunkRequest__Output {
  'uploadId': (string);
  'offset': (number);
  'data': (Buffer);
}
