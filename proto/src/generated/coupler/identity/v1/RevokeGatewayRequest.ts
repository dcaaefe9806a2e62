// Original file: proto/coupler/identity/v1/identity.proto


export interface RevokeGatewayRequest {
  'gatewayId'?: (string);
  'reason'?: (string);
}

export interface RevokeGatewayRequest__Output {
  'gatewayId': (string);
  'reason': (string);
}
