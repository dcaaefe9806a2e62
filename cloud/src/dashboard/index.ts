export { createHttpServer } from './http.js';
export type { HttpServer, HttpServerDeps, HttpServerOptions } from './http.js';
export type { DependencyState, ReadinessChecks } from './ports.js';
