// Original file: proto/coupler/ota/v1/ota.proto

import type { Long } from '@grpc/proto-loader';

export interface UploadStatus {
  'uploadId'?: (string);
  'receivedBytes'?: (number | string | Long);
  'sizeBytes'?: (number | string | Long);
}

export interface UploadStatus__Output {
  'uploadId': (string);
  'receivedBytes': (number);
  'sizeBytes': (number);
}
