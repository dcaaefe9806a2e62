export { CouplerError, errorMessage } from './coupler-error.js';
export { CONFIG_INVALID, ConfigError, formatProblem } from './config-error.js';
export type { ConfigProblem } from './config-error.js';
export { deepFreeze } from './deep-freeze.js';
export type { DeepReadonly } from './deep-freeze.js';
export { envBindings, envName } from './env-overrides.js';
export type { EnvBinding } from './env-overrides.js';
export { checkConfig, createSchemaValidator, jsonPointerToPath, loadConfig, problemsFromAjv } from './config-loader.js';
export type { LoadConfigOptions } from './config-loader.js';
export { createLogger, REDACT_PATHS } from './logger.js';
export type { Logger, LoggerOptions } from './logger.js';
export { whyNotLmdbFile } from './lmdb-file.js';
export { renderConfigReference } from './config-docs.js';
export { DEFAULT_SCRYPT_COST, hashSecret, randomSecret, SECRET_HASH_PATTERN, verifySecret } from './secret-hash.js';
export {
  ARTIFACT_KINDS,
  canonicalManifest,
  describeArtifact,
  manifestProblems,
  sha256Hex,
  signManifest,
  verifyContent,
  verifyManifest,
} from './artifact-signature.js';
export type { ArtifactCheck, ArtifactKind, ArtifactManifest } from './artifact-signature.js';
// The PKI helpers (X.509, @peculiar/x509) are the subpath @coupler/kit/pki: a gateway loads them
// only to enrol, which keeps about 20 MiB out of its resident memory.
