// Original file: proto/coupler/identity/v1/identity.proto


export interface EnrollRequest {
  'bootstrapToken'?: (string);
  'csrPem'?: (string);
}

export interface EnrollRequest__Output {
  'bootstrapToken': (string);
  'csrPem': (string);
}
