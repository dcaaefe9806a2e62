// Original file: proto/coupler/ota/v1/ota.proto

import type { Long } from '@grpc/proto-loader';

export interface ArtifactChunk {
  'offset'?: (number | string | Long);
  'data'?: (Buffer | Uint8Array | string);
}

export interface ArtifactChunk__Output {
  'offset': (number);
  'data': (Buffer);
}
