export { createIdentity } from './identity.js';
export type { Change, Identity, IdentityDeps, IdentityOptions } from './identity.js';
export type { FleetTls } from './ca.js';
export type { Principal } from './api-keys.js';
export type { EnrolResult } from './enrolment.js';
export type { EndGatewayStreams, IdentityRecords } from './ports.js';
export { roleFromWire } from './roles.js';
