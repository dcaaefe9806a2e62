// Original file: proto/coupler/identity/v1/identity.proto


export interface CreateBootstrapTokenRequest {
  'gatewayId'?: (string);
  'ttlSeconds'?: (number);
}

export interface CreateBootstrapTokenRequest__Output {
  'gatewayId': (string);
  'ttlSeconds': (number);
}
