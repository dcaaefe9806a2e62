export { buildApi } from './build-api.js';
export type { ApiOptions, LocalApi } from './build-api.js';
export type { ApiSources } from './ports.js';
