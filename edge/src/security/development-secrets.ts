import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CouplerError, type Logger } from '@coupler/kit';
import type { ApiKeyConfig, BusUserConfig } from '../config/index.js';
import { EdgeErrorCode } from '../errors.js';
import { hashSecret, randomSecret } from '../lib/index.js';

/** The user name development mode gives the generated broker service user. */
export const DEVELOPMENT_SERVICE_USER = 'coupler-service';
export const DEVELOPMENT_ADMIN_KEY_NAME = 'development-admin';
export const SECRET_FILES = { apiAdminKey: 'api-admin-key', busServicePassword: 'bus-service-password' } as const;

export interface SecuritySettings {
  mode: 'production' | 'development';
  dataDir: string;
  busUsers: readonly BusUserConfig[];
  apiKeys: readonly ApiKeyConfig[];
}

export interface ResolvedSecrets {
  busUsers: BusUserConfig[];
  apiKeys: ApiKeyConfig[];
}

/** Reads the secret in `file`, or writes a new random one there (mode 0600, never overwritten). */
export function readOrCreate(file: string, logger: Logger): string {
  try {
    const secret = readFileSync(file, 'utf8').trim();
    chmodSync(file, 0o600);
    if (secret.length > 0) {
      logger.warn({ file }, 'development mode: using a generated secret');
      return secret;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const secret = randomSecret();
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  logger.warn({ file }, 'development mode: generated a random secret');
  return secret;
}

/**
 * The credentials the broker and the API check. Production: exactly the configured ones (the
 * configuration check has already refused a start without them). Development: whatever is
 * missing is generated at random into <dataDir>/secrets, where the developer can read it; the
 * log names the file and never the secret.
 */
export async function resolveSecrets(settings: SecuritySettings, deps: { logger: Logger }): Promise<ResolvedSecrets> {
  const busUsers = [...settings.busUsers];
  const apiKeys = [...settings.apiKeys];
  if (settings.mode !== 'development') return { busUsers, apiKeys };
  const dir = join(settings.dataDir, 'secrets');
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!apiKeys.some((key) => key.role === 'admin')) {
      const secret = readOrCreate(join(dir, SECRET_FILES.apiAdminKey), deps.logger);
      apiKeys.push({ name: DEVELOPMENT_ADMIN_KEY_NAME, hash: await hashSecret(secret), role: 'admin' });
    }
    if (!busUsers.some((user) => user.role === 'service')) {
      const secret = readOrCreate(join(dir, SECRET_FILES.busServicePassword), deps.logger);
      busUsers.push({ username: DEVELOPMENT_SERVICE_USER, passwordHash: await hashSecret(secret), role: 'service' });
    }
  } catch (err) {
    throw new CouplerError(EdgeErrorCode.secretsUnavailable, `cannot create or read the development secrets in ${dir}: ${(err as Error).message}`, { cause: err });
  }
  return { busUsers, apiKeys };
}
