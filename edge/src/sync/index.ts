export { SyncClient } from './client.js';
export type { LinkState, SyncDeps, SyncOptions, SyncStatus } from './client.js';
export type { Backlog, BacklogState } from './ports.js';
