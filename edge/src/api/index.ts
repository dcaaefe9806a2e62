export { buildApi } from './build-api.js';
export type { ApiDeps, ApiOptions, LocalApi } from './build-api.js';
export type { ApiKey, ApiKeySource, ApiRole, ApiSources } from './ports.js';
