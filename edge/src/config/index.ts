export { loadEdgeConfig } from './load.js';
export type { FrozenEdgeConfig } from './load.js';
export { EdgeConfigSchema } from './schema.js';
export type { EdgeConfig, ModbusTcpDeviceConfig } from './schema.js';
export type { ApiKeyConfig, BusUserConfig } from './security-schema.js';
export type { ModbusDeviceConfig, ModbusRtuBusConfig } from './modbus-schema.js';
export type { EnergyMeterConfig } from './energy-schema.js';
export type { ArduinoDeviceConfig as ArduinoDeviceSettings } from './arduino-schema.js';
export type { EditorUserConfig, FlowInstanceConfig, NodeRedConfig } from './nodered-schema.js';
