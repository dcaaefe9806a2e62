export { createLmdbTelemetryStore, LmdbTelemetryStore } from './lmdb-store.js';
export type { LmdbStoreOptions } from './lmdb-store.js';
export { LmdbIdentityStore } from './lmdb-identity-store.js';
