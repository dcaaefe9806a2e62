export { loadCloudConfig } from './load.js';
export type { FrozenCloudConfig } from './load.js';
export { CloudConfigSchema, LOG_LEVELS } from './schema.js';
export type { CloudConfig, LogLevel } from './schema.js';
