export { createLmdbTelemetryStore, LmdbIdentityStore, LmdbTelemetryStore } from './lmdb/index.js';
export type { LmdbStoreOptions } from './lmdb/index.js';
export {
  createPostgresTelemetryStore,
  describeDatabase,
  LATEST_SCHEMA_VERSION,
  migrate,
  MIGRATIONS,
  PostgresIdentityStore,
  PostgresOtaStore,
  PostgresTelemetryStore,
} from './postgres/index.js';
export type { MigrateResult, Migration, PostgresStoreOptions } from './postgres/index.js';
export type {
  GatewaySummary,
  ListRecordsOptions,
  StoreResult,
  TelemetryStore,
} from './store.js';
export type { IdentityStore, ListAuditOptions } from './identity-store.js';
export type { ArtifactRecords, OtaStore, RolloutRecords } from './ota-store.js';
