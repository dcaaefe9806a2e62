export { createModbusPoller, OFFLINE_AFTER_FAILURES } from './poller.js';
export type { DeviceState, ModbusDeviceConfig, ModbusPoller, ModbusPollerDeps } from './poller.js';
export { decodeRegisters, encodeValue, WORDS_PER_TYPE } from './codec.js';
export type { ByteOrder, DataType, RegisterKind } from './codec.js';
export { loadProfileFile, parseProfile, resolveProfile } from './profile.js';
export type { DeviceProfile, ProfileRegister } from './profile.js';
export { planReads } from './read-plan.js';
export type { ReadRequest } from './read-plan.js';
