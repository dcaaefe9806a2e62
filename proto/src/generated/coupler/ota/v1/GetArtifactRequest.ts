// Original file: proto/coupler/ota/v1/ota.proto


export interface GetArtifactRequest {
  'sha256'?: (string);
}

export interface GetArtifactRequest__Output {
  'sha256': (string);
}
