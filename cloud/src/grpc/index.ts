export { createGrpcServer } from './server.js';
export type { GrpcServer, GrpcServerDeps, GrpcServerOptions, GrpcTls } from './server.js';
export type { BatchIngest, FleetApi, GatewayReports, IdentityApi } from './ports.js';
export { toGrpcStatus } from './error-status.js';
