// Original file: proto/coupler/fleet/v1/fleet.proto


export interface Device {
  'deviceId'?: (string);
  'kind'?: (string);
  'status'?: (string);
  'firmwareVersion'?: (string);
  'lastError'?: (string);
}

export interface Device__Output {
  'deviceId': (string);
  'kind': (string);
  'status': (string);
  'firmwareVersion': (string);
  'lastError': (string);
}
