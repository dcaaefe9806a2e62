import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { EdgeErrorCode } from '../../errors.js';
import { verifySecret } from '../../lib/index.js';
import { ApiError, type RouteAccess } from '../app.js';
import type { ApiKey, ApiKeySource, ApiRole } from '../ports.js';

const CACHE_LIMIT = 100;

/**
 * Checks `Authorization: Bearer <key>` against the scrypt hashes of the configured keys. A key
 * that matched is remembered by its SHA-256, so only unknown keys pay for scrypt (and those
 * are rate limited first).
 */
export class ApiKeyVerifier {
  private readonly matched = new Map<string, ApiKey>();

  constructor(private readonly source: ApiKeySource) {}

  async verify(presented: string): Promise<ApiKey | undefined> {
    const digest = createHash('sha256').update(presented).digest('base64url');
    const known = this.matched.get(digest);
    const keys = this.source.keys();
    // Only while the key is still configured: a configuration reload may have removed it.
    if (known && keys.includes(known)) return known;
    for (const key of keys) {
      if (await verifySecret(presented, key.hash)) {
        if (this.matched.size >= CACHE_LIMIT) this.matched.clear();
        this.matched.set(digest, key);
        return key;
      }
    }
    return undefined;
  }
}

function bearer(headers: IncomingHttpHeaders): string | undefined {
  const header = headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer ([\x21-\x7e]{1,512})$/.exec(header);
  return match?.[1];
}

function mayUse(role: ApiRole, access: RouteAccess): boolean {
  return access !== 'admin' || role === 'admin';
}

/**
 * Throws a 401 or 403 ApiError unless the request's key may use a route of this access. Runs
 * after the rate limit and before the body is read, so a refused caller never gets it parsed.
 */
export async function checkApiKey(verifier: ApiKeyVerifier, headers: IncomingHttpHeaders, access: RouteAccess): Promise<void> {
  if (access === 'public') return;
  const presented = bearer(headers);
  const key = presented === undefined ? undefined : await verifier.verify(presented);
  if (!key) throw new ApiError(401, EdgeErrorCode.apiUnauthenticated, 'a valid API key is required: Authorization: Bearer <key>');
  if (!mayUse(key.role, access)) throw new ApiError(403, EdgeErrorCode.apiForbidden, `the API key "${key.name}" (role ${key.role}) may not use this route`);
}
