// Original file: proto/coupler/identity/v1/identity.proto


export interface CreateApiKeyResponse {
  'key'?: (string);
  'keyId'?: (string);
}

export interface CreateApiKeyResponse__Output {
  'key': (string);
  'keyId': (string);
}
