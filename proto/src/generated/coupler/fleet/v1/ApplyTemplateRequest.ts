// Original file: proto/coupler/fleet/v1/fleet.proto

import type { TemplateModbusDevice as _coupler_fleet_v1_TemplateModbusDevice, TemplateModbusDevice__Output as _coupler_fleet_v1_TemplateModbusDevice__Output } from '../../../coupler/fleet/v1/TemplateModbusDevice.js';

export interface ApplyTemplateRequest {
  'name'?: (string);
  'version'?: (string);
  'scope'?: (string);
  'arduinoDeviceIds'?: (string)[];
  'modbusDevices'?: (_coupler_fleet_v1_TemplateModbusDevice)[];
}

export interface ApplyTemplateRequest__Output {
  'name': (string);
  'version': (string);
  'scope': (string);
  'arduinoDeviceIds': (string)[];
  'modbusDevices': (_coupler_fleet_v1_TemplateModbusDevice__Output)[];
}
