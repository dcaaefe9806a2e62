import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { CouplerError, type Logger } from '@coupler/kit';
import type { EditorUserConfig } from '../config/index.js';
import { EdgeErrorCode } from '../errors.js';
import { readOrCreate } from './development-secrets.js';

/** The editor user development mode creates when none is configured. */
export const DEVELOPMENT_EDITOR_USER = 'admin';
export const NODERED_SECRET_FILES = { credentialSecret: 'nodered-credential-secret', editorPassword: 'nodered-editor-password' } as const;
/** Node-RED's own `admin hash-pw` cost. */
const BCRYPT_COST = 8;

export interface NodeRedSecretSettings {
  mode: 'production' | 'development';
  dataDir: string;
  credentialSecret: string | undefined;
  editorUsers: readonly EditorUserConfig[];
}

export interface ResolvedNodeRedSecrets {
  credentialSecret: string;
  editorUsers: EditorUserConfig[];
}

/**
 * Node-RED's credential secret and editor users. Production: exactly the configured ones (the
 * configuration check refused a start without the secret; no editor user means no editor).
 * Development: a missing secret and a missing editor user are generated into
 * <dataDir>/secrets, where the developer reads the editor password (user `admin`).
 */
export async function resolveNodeRedSecrets(settings: NodeRedSecretSettings, deps: { logger: Logger }): Promise<ResolvedNodeRedSecrets> {
  const editorUsers = [...settings.editorUsers];
  if (settings.mode !== 'development') {
    if (settings.credentialSecret === undefined) throw new CouplerError(EdgeErrorCode.secretsUnavailable, 'nodeRed.credentialSecret is required outside development mode');
    return { credentialSecret: settings.credentialSecret, editorUsers };
  }
  const dir = join(settings.dataDir, 'secrets');
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const credentialSecret = settings.credentialSecret ?? readOrCreate(join(dir, NODERED_SECRET_FILES.credentialSecret), deps.logger);
    if (editorUsers.length === 0) {
      const password = readOrCreate(join(dir, NODERED_SECRET_FILES.editorPassword), deps.logger);
      editorUsers.push({ username: DEVELOPMENT_EDITOR_USER, passwordHash: await bcrypt.hash(password, BCRYPT_COST), permissions: '*' });
    }
    return { credentialSecret, editorUsers };
  } catch (err) {
    throw new CouplerError(EdgeErrorCode.secretsUnavailable, `cannot create or read the development secrets in ${dir}: ${(err as Error).message}`, { cause: err });
  }
}
