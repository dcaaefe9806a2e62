// Public API of the Modbus capability (STYLE §2.6): named exports only.
export { createModbusPoller, OFFLINE_AFTER_FAILURES } from './poller.js';
export { DEFAULT_RETRIES, MAX_RECONNECT_DELAY_MS } from './device-loop.js';
export type { ModbusDeviceConfig, ModbusDeviceStatus } from './device-loop.js';
export type {
  ModbusPoller,
  ModbusPollerDeps,
  ModbusPollerOptions,
} from './poller.js';
export type { DeviceStatus } from './metrics.js';
export { BYTE_ORDERS, DATA_TYPES, decodeRegisters, encodeValue, WORDS_PER_TYPE } from './codec.js';
export type { ByteOrder, DataType, RegisterKind } from './codec.js';
export {
  builtinProfileNames,
  loadBuiltinProfile,
  loadProfile,
  parseProfile,
  ProfileSchema,
  resolveProfile,
} from './profile-schema.js';
export type { DeviceProfile, ProfileLookup, ProfileRegister } from './profile-schema.js';
export { decodeAnswer, MAX_BITS_PER_READ, planReads, sizeOf } from './read-plan.js';
export type { PlanOptions, ReadField, ReadRequest } from './read-plan.js';
export { ModbusTcpClient } from './tcp-client.js';
export type { ModbusTcpClientOptions } from './tcp-client.js';
export { classifyFailure, describeFailure, ModbusFailure } from './transport.js';
export type { ModbusTransport, ReadFailure } from './transport.js';
export { RtuBus, RtuFailure } from './rtu-bus.js';
export type { RtuBusDeps, RtuBusOptions } from './rtu-bus.js';
export {
  bitsPerCharacter,
  encodeReadRequest,
  lineTimeMs,
  parseAnswer,
  responseBytes,
  silentIntervalMs,
} from './rtu-frame.js';
export type { RtuReadRequest, SerialLine } from './rtu-frame.js';
