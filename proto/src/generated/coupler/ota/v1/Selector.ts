// Original file: proto/coupler/ota/v1/ota.proto


export interface Selector {
  'gatewayIds'?: (string)[];
  'tags'?: (string)[];
  'groups'?: (string)[];
}

export interface Selector__Output {
  'gatewayIds': (string)[];
  'tags': (string)[];
  'groups': (string)[];
}
