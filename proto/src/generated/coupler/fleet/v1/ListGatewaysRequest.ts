// Original file: proto/coupler/fleet/v1/fleet.proto


export interface ListGatewaysRequest {
  'train'?: (string);
  'line'?: (string);
  'tag'?: (string);
}

export interface ListGatewaysRequest__Output {
  'train': (string);
  'line': (string);
  'tag': (string);
}
