import { randomBytes } from 'node:crypto';

/** `cplt.<id>.<secret>` for bootstrap tokens, `cplk.<id>.<secret>` for API keys made by CreateApiKey. */
export type SecretKind = 'cplt' | 'cplk';

export interface IssuedSecret {
  id: string;
  secret: string;
  /** What the holder presents: kind, id and secret. */
  text: string;
}

const ID_PATTERN = /^[0-9a-f]{16}$/;
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newSecret(kind: SecretKind): IssuedSecret {
  const id = randomBytes(8).toString('hex');
  // 256 bits: far beyond guessing, so the id may be looked up before the hash is checked.
  const secret = randomBytes(32).toString('base64url');
  return { id, secret, text: `${kind}.${id}.${secret}` };
}

/** The id and secret of a presented secret of this kind, or undefined when it is not one. */
export function parseSecret(kind: SecretKind, text: string): { id: string; secret: string } | undefined {
  const [prefix, id, secret, ...rest] = text.split('.');
  if (prefix !== kind || rest.length > 0 || !id || !secret) return undefined;
  if (!ID_PATTERN.test(id) || !SECRET_PATTERN.test(secret)) return undefined;
  return { id, secret };
}

/** The key of an `authorization: Bearer <key>` value (case-insensitive scheme), or undefined. */
export function bearerKey(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}
