export { DEVELOPMENT_ADMIN_KEY_NAME, DEVELOPMENT_SERVICE_USER, resolveSecrets, SECRET_FILES } from './development-secrets.js';
export type { ResolvedSecrets, SecuritySettings } from './development-secrets.js';
export { DEVELOPMENT_EDITOR_USER, NODERED_SECRET_FILES, resolveNodeRedSecrets } from './nodered-secrets.js';
export type { NodeRedSecretSettings, ResolvedNodeRedSecrets } from './nodered-secrets.js';
export { readTlsFiles } from './tls-files.js';
export type { TlsFilePaths, TlsMaterial } from './tls-files.js';
