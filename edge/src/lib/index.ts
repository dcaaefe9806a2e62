export { Backoff, BACKOFF_JITTER, BACKOFF_MULTIPLIER } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
export { crc16Modbus } from './crc16.js';
