// Original file: proto/coupler/identity/v1/identity.proto

import type { Long } from '@grpc/proto-loader';

export interface EnrollResponse {
  'gatewayId'?: (string);
  'certificatePem'?: (string);
  'caCertificatePem'?: (string);
  'serial'?: (string);
  'notAfterMs'?: (number | string | Long);
}

export interface EnrollResponse__Output {
  'gatewayId': (string);
  'certificatePem': (string);
  'caCertificatePem': (string);
  'serial': (string);
  'notAfterMs': (number);
}
