// Original file: proto/coupler/ota/v1/ota.proto


export interface RolloutRequest {
  'rolloutId'?: (string);
}

export interface RolloutRequest__Output {
  'rolloutId': (string);
}
