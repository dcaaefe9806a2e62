// Original file: proto/coupler/identity/v1/identity.proto

import type { Long } from '@grpc/proto-loader';

export interface RevokeApiKeyResponse {
  'revokedAtMs'?: (number | string | Long);
}

export interface RevokeApiKeyResponse__Output {
  'revokedAtMs': (number);
}
