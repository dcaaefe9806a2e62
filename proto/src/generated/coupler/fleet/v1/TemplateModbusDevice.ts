// Original file: proto/coupler/fleet/v1/fleet.proto


export interface TemplateModbusDevice {
  'deviceId'?: (string);
  'transport'?: (string);
  'host'?: (string);
  'port'?: (number);
  'bus'?: (string);
  'unitId'?: (number);
}

export interface TemplateModbusDevice__Output {
  'deviceId': (string);
  'transport': (string);
  'host': (string);
  'port': (number);
  'bus': (string);
  'unitId': (number);
}
