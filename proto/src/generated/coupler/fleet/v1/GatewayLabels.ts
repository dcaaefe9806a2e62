// Original file: proto/coupler/fleet/v1/fleet.proto


export interface GatewayLabels {
  'train'?: (string);
  'car'?: (string);
  'line'?: (string);
  'tags'?: (string)[];
}

export interface GatewayLabels__Output {
  'train': (string);
  'car': (string);
  'line': (string);
  'tags': (string)[];
}
