export { APPLIED_COALESCE_MS, SyncClient } from './client.js';
export type { LinkState, SyncDeps, SyncOptions, SyncStatus } from './client.js';
export type { Backlog, BacklogState, DesiredStatePort } from './ports.js';
export { syncCredentials } from './credentials.js';
export type { EnrolmentOptions, SyncCredentialOptions, SyncTlsMode } from './credentials.js';
