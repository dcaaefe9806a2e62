export { DEVELOPMENT_ADMIN_KEY_NAME, DEVELOPMENT_SERVICE_USER, resolveSecrets, SECRET_FILES } from './development-secrets.js';
export type { ResolvedSecrets, SecuritySettings } from './development-secrets.js';
