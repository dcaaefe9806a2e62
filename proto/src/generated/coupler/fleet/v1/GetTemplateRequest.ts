// Original file: proto/coupler/fleet/v1/fleet.proto


export interface GetTemplateRequest {
  'name'?: (string);
  'version'?: (string);
}

export interface GetTemplateRequest__Output {
  'name': (string);
  'version': (string);
}
