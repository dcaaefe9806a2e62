// Original file: proto/coupler/fleet/v1/fleet.proto


export interface ListTemplatesRequest {
  'name'?: (string);
}

export interface ListTemplatesRequest__Output {
  'name': (string);
}
