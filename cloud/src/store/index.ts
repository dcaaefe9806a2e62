export { createLmdbTelemetryStore, LmdbTelemetryStore } from './lmdb/index.js';
export type { LmdbStoreOptions } from './lmdb/index.js';
export type { GatewaySummary, ListRecordsOptions, StoreResult, TelemetryStore } from './store.js';
