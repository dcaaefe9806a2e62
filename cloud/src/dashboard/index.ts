export { createHttpServer } from './http.js';
export type { HttpServer, HttpServerDeps, HttpServerOptions } from './http.js';
export type { DependencyState, ReadinessChecks } from './ports.js';
export { createDashboard } from './dashboard.js';
export type { DashboardDeps, DashboardOptions } from './dashboard.js';
export type {
  DashboardGateway,
  DashboardRecords,
  DashboardRollout,
  DashboardRollouts,
  DashboardSources,
} from './ports.js';
