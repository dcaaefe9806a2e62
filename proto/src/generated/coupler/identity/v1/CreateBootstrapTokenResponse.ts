// Original file: proto/coupler/identity/v1/identity.proto

import type { Long } from '@grpc/proto-loader';

export interface CreateBootstrapTokenResponse {
  'token'?: (string);
  'expiresAtMs'?: (number | string | Long);
}

export interface CreateBootstrapTokenResponse__Output {
  'token': (string);
  'expiresAtMs': (number);
}
