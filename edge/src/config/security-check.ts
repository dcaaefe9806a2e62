import { accessSync, constants } from 'node:fs';
import type { ConfigProblem } from '@coupler/kit';
import type { EdgeConfig } from './schema.js';

/** Outside development mode these secrets must be configured; they never have a default. */
export const DEVELOPMENT_HINT = 'set it, or choose security.mode: development to generate one';

function duplicates<T>(items: readonly T[], key: (item: T) => string, path: (index: number) => string): ConfigProblem[] {
  const seen = new Set<string>();
  const problems: ConfigProblem[] = [];
  items.forEach((item, index) => {
    const value = key(item);
    if (seen.has(value)) problems.push({ path: path(index), reason: 'is already used', value });
    seen.add(value);
  });
  return problems;
}

function unreadable(path: string, file: string | undefined): ConfigProblem[] {
  if (file === undefined) return [];
  try {
    accessSync(file, constants.R_OK);
    return [];
  } catch (err) {
    return [{ path, reason: `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, value: file }];
  }
}

/** TLS files must be readable when the configuration is taken, not at the first connection. */
function tlsFileProblems(config: EdgeConfig): ConfigProblem[] {
  const { tls: busTls } = config.bus;
  const { tls: apiTls } = config.api;
  return [
    ...unreadable('bus.tls.certFile', busTls?.certFile),
    ...unreadable('bus.tls.keyFile', busTls?.keyFile),
    ...unreadable('bus.tls.clientCaFile', busTls?.clientCaFile),
    ...unreadable('api.tls.certFile', apiTls?.certFile),
    ...unreadable('api.tls.keyFile', apiTls?.keyFile),
  ];
}

/** Cross-field checks of the security keys: required secrets, development-only switches, unique names. */
export function securityProblems(config: EdgeConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [
    ...duplicates(config.bus.users, (u) => u.username, (i) => `bus.users[${i}].username`),
    ...duplicates(config.api.keys, (k) => k.name, (i) => `api.keys[${i}].name`),
    ...tlsFileProblems(config),
  ];
  if (config.security.mode === 'development') return problems;
  if (!config.api.keys.some((key) => key.role === 'admin')) {
    problems.push({ path: 'api.keys', reason: `missing secret: an API key with role admin is required; ${DEVELOPMENT_HINT}` });
  }
  if (!config.bus.users.some((user) => user.role === 'service')) {
    problems.push({ path: 'bus.users', reason: `missing secret: a broker user with role service is required; ${DEVELOPMENT_HINT}` });
  }
  if (config.bus.allowAnonymous) {
    problems.push({ path: 'bus.allowAnonymous', reason: 'is only allowed with security.mode: development', value: true });
  }
  return problems;
}
