// Original file: proto/coupler/identity/v1/identity.proto


export interface RevokeApiKeyRequest {
  'keyId'?: (string);
}

export interface RevokeApiKeyRequest__Output {
  'keyId': (string);
}
