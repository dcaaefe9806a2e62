// Original file: proto/coupler/ota/v1/ota.proto

import type { ArtifactKind as _coupler_ota_v1_ArtifactKind, ArtifactKind__Output as _coupler_ota_v1_ArtifactKind__Output } from '../../../coupler/ota/v1/ArtifactKind.js';
import type { Long } from '@grpc/proto-loader';

export interface BeginUploadRequest {
  'kind'?: (_coupler_ota_v1_ArtifactKind);
  'version'?: (string);
  'sizeBytes'?: (number | string | Long);
  'sha256'?: (string);
}

export interface BeginUploadRequest__Output {
  'kind': (_coupler_ota_v1_ArtifactKind__Output);
  'version': (string);
  'sizeBytes': (number);
  'sha256': (string);
}
