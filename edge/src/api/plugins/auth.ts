import { createHash } from 'node:crypto';
import type { FastifyRequest, RouteOptions } from 'fastify';
import type { ApiApp } from '../app.js';
import { CouplerError } from '@coupler/kit';
import { EdgeErrorCode } from '../../errors.js';
import { verifySecret } from '../../lib/index.js';
import type { ApiKey, ApiKeySource, ApiRole } from '../ports.js';

/** Who may call a route: anyone (health probes), any key, or an admin key. */
export type RouteAccess = 'public' | 'read' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

class ApiAuthError extends CouplerError {
  constructor(
    code: typeof EdgeErrorCode.apiUnauthenticated | typeof EdgeErrorCode.apiForbidden,
    message: string,
    readonly statusCode: number,
  ) {
    super(code, message);
  }
}

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

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer ([\x21-\x7e]{1,512})$/.exec(header);
  return match?.[1];
}

function mayUse(role: ApiRole, access: RouteAccess): boolean {
  return access !== 'admin' || role === 'admin';
}

/**
 * Adds the key check as the last onRequest hook of every route, so the rate limit (registered
 * before) runs first, and a refused caller never gets its body parsed. Routes are closed unless
 * they say `access: 'public'`; unknown paths too (401 before 404).
 */
export function addApiKeyAuth(app: ApiApp, verifier: ApiKeyVerifier): void {
  const check = async (request: FastifyRequest): Promise<void> => {
    const access = request.routeOptions.config.access ?? 'read';
    if (access === 'public') return;
    const presented = bearer(request);
    const key = presented === undefined ? undefined : await verifier.verify(presented);
    if (!key) throw new ApiAuthError(EdgeErrorCode.apiUnauthenticated, 'a valid API key is required: Authorization: Bearer <key>', 401);
    if (!mayUse(key.role, access)) throw new ApiAuthError(EdgeErrorCode.apiForbidden, `the API key "${key.name}" (role ${key.role}) may not use this route`, 403);
  };
  app.addHook('onRoute', (route: RouteOptions) => {
    const existing = route.onRequest;
    route.onRequest = [...(existing === undefined ? [] : Array.isArray(existing) ? existing : [existing]), check];
  });
}
