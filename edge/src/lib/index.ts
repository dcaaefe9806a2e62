export { Backoff, BACKOFF_JITTER, BACKOFF_MULTIPLIER } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
export { DEFAULT_SCRYPT_COST, hashSecret, randomSecret, SECRET_HASH_PATTERN, verifySecret } from './secret-hash.js';
export { crc16Modbus } from './crc16.js';
