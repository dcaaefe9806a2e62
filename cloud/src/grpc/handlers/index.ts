export { createSyncHandler } from './sync.js';
export type { SyncCall, SyncHandler, SyncHandlerOptions } from './sync.js';
