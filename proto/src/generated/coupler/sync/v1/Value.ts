// Original file: proto/coupler/sync/v1/sync.proto


export interface Value {
  'name'?: (string);
  'value'?: (number | string);
  'unit'?: (string);
}

export interface Value__Output {
  'name': (string);
  'value': (number);
  'unit': (string);
}
