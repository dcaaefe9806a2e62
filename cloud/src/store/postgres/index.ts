export {
  createPostgresTelemetryStore,
  describeDatabase,
  PostgresTelemetryStore,
} from './postgres-store.js';
export type { PostgresStoreOptions } from './postgres-store.js';
export { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations.js';
export type { Migration } from './migrations.js';
export { migrate } from './migrate.js';
export type { MigrateResult } from './migrate.js';
export { PostgresIdentityStore } from './postgres-identity-store.js';
export { PostgresOtaStore } from './postgres-ota-store.js';
