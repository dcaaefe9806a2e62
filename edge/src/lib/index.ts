export { Backoff, BACKOFF_JITTER, BACKOFF_MULTIPLIER } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
// The scrypt hashes are shared with the cloud's API keys, so they live in @coupler/kit.
export { DEFAULT_SCRYPT_COST, hashSecret, randomSecret, SECRET_HASH_PATTERN, verifySecret } from '@coupler/kit';
export { crc16Modbus } from './crc16.js';
export { fsyncFolder, writeFileAtomic, writeFileAtomicSync } from './atomic-file.js';
export { DUE_BATCH_MS, DueQueue } from './due-queue.js';
export { loadSerialPort } from './serial-port.js';
export type { DueItem } from './due-queue.js';
