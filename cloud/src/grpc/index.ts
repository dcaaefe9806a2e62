export { createGrpcServer } from './server.js';
export type { GrpcServer, GrpcServerDeps, GrpcServerOptions, GrpcTls } from './server.js';
export type { BatchIngest, FleetApi, GatewayReports, IdentityApi, TelemetryGrpcApi } from './ports.js';
export { toGrpcStatus } from './error-status.js';
export { artifactHandlers } from './handlers/ota-artifacts.js';
export type { ArtifactApi, ArtifactView, UploadView } from './handlers/ota-artifacts.js';
export { rolloutHandlers } from './handlers/ota-rollouts.js';
export type { CreateRollout, RolloutApi, RolloutView } from './handlers/ota-rollouts.js';
