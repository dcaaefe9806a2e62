// Original file: proto/coupler/sync/v1/sync.proto


export interface DeviceState {
  'deviceId'?: (string);
  'kind'?: (string);
  'status'?: (string);
  'firmwareVersion'?: (string);
  'lastError'?: (string);
}

export interface DeviceState__Output {
  'deviceId': (string);
  'kind': (string);
  'status': (string);
  'firmwareVersion': (string);
  'lastError': (string);
}
