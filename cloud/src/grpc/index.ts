export { createGrpcServer } from './server.js';
export type { GrpcServer, GrpcServerDeps, GrpcServerOptions } from './server.js';
export type { BatchIngest, GatewayReports } from './ports.js';
export { toGrpcStatus } from './error-status.js';
