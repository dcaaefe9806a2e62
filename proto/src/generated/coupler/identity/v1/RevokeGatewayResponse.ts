// Original file: proto/coupler/identity/v1/identity.proto


export interface RevokeGatewayResponse {
  'revokedCertificates'?: (number);
  'endedStreams'?: (number);
}

export interface RevokeGatewayResponse__Output {
  'revokedCertificates': (number);
  'endedStreams': (number);
}
