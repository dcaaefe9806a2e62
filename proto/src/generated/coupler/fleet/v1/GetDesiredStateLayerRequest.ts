// Original file: proto/coupler/fleet/v1/fleet.proto


export interface GetDesiredStateLayerRequest {
  'scope'?: (string);
}

export interface GetDesiredStateLayerRequest__Output {
  'scope': (string);
}
